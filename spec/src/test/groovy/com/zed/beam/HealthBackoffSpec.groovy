package com.zed.beam

import spock.lang.Specification

import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger

/** Backoff delays and HealthWaiter: rounds until healthy, deadlines, stability. */
class HealthBackoffSpec extends Specification {

    static Duration ms(long n) { Duration.ofMillis(n) }

    def "delay after failure #n with initial 100 ms, x2, cap 1 s is #expected ms"() {
        expect:
        new Backoff(ms(100), ms(1000), 2.0).delay(n) == ms(expected)

        where:
        n  || expected
        1  || 100
        2  || 200
        3  || 400
        4  || 800
        5  || 1000
        50 || 1000
    }

    def "bad backoffs are refused: #why"() {
        when:
        new Backoff(ms(initial), ms(max), mult)

        then:
        thrown(IllegalArgumentException)

        where:
        initial | max | mult || why
        0       | 10  | 2.0  || 'zero initial'
        100     | 10  | 2.0  || 'max below initial'
        10      | 100 | 0.5  || 'shrinking'
    }

    /** Fails {@code failures} times with "not yet (n)", then passes. */
    static HealthCheck flaky(int failures, AtomicInteger calls = new AtomicInteger()) {
        new HealthCheck() {
            HealthResult check(Duration timeout) {
                int n = calls.incrementAndGet()
                n <= failures ? HealthResult.failed('flaky', "not yet ($n)", ms(1)) : HealthResult.ok('flaky', ms(1))
            }
            Duration timeout() { ms(1000) }
            String describe() { 'flaky' }
        }
    }

    static HealthCheck fixed(boolean ok, String name = 'fixed') {
        new HealthCheck() {
            HealthResult check(Duration timeout) {
                ok ? HealthResult.ok(name, ms(0)) : HealthResult.failed(name, 'HTTP 503 (expected 200)', ms(0))
            }
            Duration timeout() { ms(1000) }
            String describe() { name }
        }
    }

    def "a check that fails #failures times then passes is healthy after #failures + 1 rounds, having backed off"() {
        given:
        def rounds = []
        def waiter = new HealthWaiter(WaitPolicy.within(Duration.ofSeconds(10)).withBackoff(new Backoff(ms(20), ms(1000), 2.0)),
                { rounds << it })

        when:
        def report = waiter.await([flaky(failures), fixed(true)])

        then:
        report.healthy()
        report.rounds() == failures + 1
        rounds.size() == failures + 1
        rounds[0..<failures].every { r -> !r[0].healthy() && r[1].healthy() }
        report.elapsed().toMillis() >= minSleptMs - 5   // toMillis() truncates
        report.summary() == "healthy after ${failures + 1} rounds (${report.elapsed().toMillis()} ms)".toString()

        where:
        failures || minSleptMs
        1        || 20
        3        || 20 + 40 + 80
    }

    def "a check that never passes gives up at the deadline with the last reasons"() {
        given:
        def waiter = new HealthWaiter(WaitPolicy.within(ms(600)).withBackoff(new Backoff(ms(10), ms(100), 2.0)))
        def calls = new AtomicInteger()

        when:
        def report = waiter.await([flaky(Integer.MAX_VALUE, calls), fixed(false, 'http x')])

        then:
        !report.healthy()
        report.elapsed().toMillis() >= 550 - 5   // toMillis() truncates
        report.rounds() == calls.get()
        report.failures()*.reason() == ["not yet (${calls.get()})".toString(), 'HTTP 503 (expected 200)']
        report.summary().startsWith("unhealthy after ${report.elapsed().toMillis()} ms (${report.rounds()} rounds): flaky: not yet (")
        report.summary().endsWith('; http x: HTTP 503 (expected 200)')
    }

    def "each round's check timeout is cut to what is left of the deadline, and says so"() {
        given: 'a real tcp check against a full accept queue (connects hang), with its own timeout of 10 s'
        def full = new ServerSocket(0, 1, InetAddress.loopbackAddress)
        def fillers = (1..4).collect { def s = new Socket(); try { s.connect(full.localSocketAddress, 200) } catch (IOException ignored) { }; s }
        def check = new TcpCheck('127.0.0.1', full.localPort, Duration.ofSeconds(10))

        when:
        def report = new HealthWaiter(WaitPolicy.within(ms(500))).await([check])

        then:
        !report.healthy()
        report.failures()[0].reason() ==~ /timeout after \d+ ms \(cut short by the overall deadline\)/

        cleanup:
        fillers*.close()
        full?.close()
    }

    def "stableFor: healthy only after passing continuously for the duration; a failure restarts the clock"() {
        given: 'passes, fails once, then passes for good'
        def calls = new AtomicInteger()
        def check = new HealthCheck() {
            HealthResult check(Duration timeout) {
                calls.incrementAndGet() == 2 ? HealthResult.failed('c', 'blip', ms(0)) : HealthResult.ok('c', ms(0))
            }
            Duration timeout() { ms(100) }
            String describe() { 'c' }
        }
        def policy = new WaitPolicy(Duration.ofSeconds(5), new Backoff(ms(20), ms(20), 1.0), ms(200))

        when:
        def report = new HealthWaiter(policy).await([check])

        then:
        report.healthy()
        report.healthyFor() >= ms(200)
        calls.get() >= 2 + 200.intdiv(20)
    }

    def "stableFor longer than the deadline allows: not healthy, and the summary says it was not stable"() {
        when:
        def report = new HealthWaiter(new WaitPolicy(ms(300), new Backoff(ms(20), ms(20), 1.0), Duration.ofSeconds(10)))
                .await([fixed(true)])

        then:
        !report.healthy()
        report.failures().isEmpty()
        report.summary() ==~ /unhealthy after \d+ ms \(\d+ rounds\): passing for only \d+ ms, not long enough to count as stable/
    }

    def "no checks is healthy at once"() {
        expect:
        new HealthWaiter(WaitPolicy.within(ms(100))).await([]).healthy()
    }

    def "a crashing custom check is a failure, not a crash of the waiter"() {
        given:
        def boom = new HealthCheck() {
            HealthResult check(Duration timeout) { throw new IllegalStateException('boom') }
            Duration timeout() { ms(100) }
            String describe() { 'boom' }
        }

        when:
        def report = new HealthWaiter(WaitPolicy.within(ms(200))).await([boom])

        then:
        !report.healthy()
        report.failures()[0].reason() == 'check crashed: boom'
    }
}
