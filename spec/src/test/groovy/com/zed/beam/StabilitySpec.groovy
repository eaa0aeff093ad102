package com.zed.beam

import com.zed.platform.ServiceStatus
import spock.lang.Specification

import java.time.Duration
import java.time.Instant
import java.util.concurrent.atomic.AtomicInteger

/**
 * The stability window, ServiceStableCheck and HealthWatch, on a fake clock: every time below is the
 * fake clock's, exact, and no spec sleeps.
 */
class StabilitySpec extends Specification {

    static Duration ms(long n) { Duration.ofMillis(n) }

    /**
     * Passes or fails by a script, one letter per run ('P' pass, 'F' fail; the last letter repeats),
     * and takes {@code cost} ms of the fake clock per run.
     */
    static HealthCheck scripted(String script, FakeClock clock, long cost = 0, String name = 'app') {
        def runs = new AtomicInteger()
        new HealthCheck() {
            HealthResult check(Duration timeout) {
                int i = runs.getAndIncrement()
                clock.advance(ms(cost))
                def c = script.charAt(Math.min(i, script.length() - 1))
                c == ('P' as char) ? HealthResult.ok(name, ms(cost)) : HealthResult.failed(name, "down (run ${i + 1})", ms(cost))
            }
            Duration timeout() { ms(1000) }
            String describe() { name }
        }
    }

    def "script #script, check cost #cost ms, stableFor #stable ms, deadline #deadline ms: healthy=#healthy after #rounds rounds, #elapsed ms"() {
        given:
        def clock = new FakeClock()
        def policy = new WaitPolicy(ms(deadline), new Backoff(ms(100), ms(max), mult), ms(stable))

        when:
        def r = new HealthWaiter(policy, { }, clock).await([scripted(script, clock, cost)])

        then:
        r.healthy() == healthy
        r.rounds() == rounds
        r.elapsed() == ms(elapsed)
        r.healthyFor() == ms(healthyFor)

        where:
        script    | cost | stable | deadline | max | mult || healthy | rounds | elapsed | healthyFor
        'P'       | 0    | 0      | 1000     | 100 | 1.0  || true    | 1      | 0       | 0
        'P'       | 0    | 300    | 1000     | 100 | 1.0  || true    | 4      | 300     | 300
        'FFP'     | 0    | 300    | 1000     | 100 | 1.0  || true    | 6      | 500     | 300
        'PPFP'    | 0    | 300    | 1000     | 100 | 1.0  || true    | 7      | 600     | 300
        'PPFPFPP' | 0    | 300    | 1000     | 100 | 1.0  || true    | 9      | 800     | 300
        'P'       | 30   | 300    | 1000     | 100 | 1.0  || true    | 4      | 330     | 300
        'P'       | 0    | 300    | 250      | 100 | 1.0  || false   | 3      | 200     | 200
        'PF'      | 0    | 300    | 1000     | 100 | 1.0  || false   | 11     | 950     | 0
        'F'       | 0    | 0      | 1000     | 400 | 2.0  || false   | 5      | 950     | 0
    }

    def "the verdict that the window was too short says so; a failure says why"() {
        given:
        def clock = new FakeClock()

        when:
        def shortWindow = new HealthWaiter(new WaitPolicy(ms(250), new Backoff(ms(100), ms(100), 1.0), ms(300)), { }, clock)
                .await([scripted('P', clock)])
        def failing = new HealthWaiter(new WaitPolicy(ms(250), new Backoff(ms(100), ms(100), 1.0), ms(300)), { }, clock)
                .await([scripted('PF', clock)])

        then:
        shortWindow.summary() == 'unhealthy after 200 ms (3 rounds): passing for only 200 ms, not long enough to count as stable'
        failing.summary() == 'unhealthy after 200 ms (3 rounds): app: down (run 3)'
    }

    static ServiceStatus st(boolean active, long pid, int restarts, String state = active ? 'active' : 'failed') {
        new ServiceStatus('zed-tiny', active, state, pid, Optional.of(Instant.EPOCH), restarts)
    }

    def "ServiceStableCheck over #statuses: #verdicts"() {
        given:
        def queue = new ArrayDeque<ServiceStatus>(statuses)
        def check = new ServiceStableCheck('zed-tiny', { queue.poll() }, Duration.ofSeconds(5), baseline)

        expect:
        statuses.collect { check.check().reason() } == verdicts

        where:
        baseline        | statuses                                                  || verdicts
        null            | [st(true, 10, 0)]                                         || ['ok']
        null            | [st(true, 10, 0), st(true, 10, 0), st(true, 10, 0)]       || ['ok', 'ok', 'ok']
        null            | [st(true, 10, 0), st(true, 11, 0)]                        || ['ok', 'service zed-tiny restarted (main PID 10 -> 11)']
        null            | [st(true, 10, 0), st(true, 10, 1)]                        || ['ok', 'service zed-tiny restarted (restart count 0 -> 1)']
        null            | [st(true, 10, 0), st(true, 12, 2)]                        || ['ok', 'service zed-tiny restarted (restart count 0 -> 2)']
        null            | [st(false, 0, 0)]                                         || ['service zed-tiny is failed (not active)']
        null            | [st(true, 10, 0), st(false, 0, 1, 'activating'), st(true, 12, 1)] || ['ok', 'service zed-tiny is activating (not active)', 'ok']
        st(true, 10, 0) | [st(true, 11, 1)]                                         || ['service zed-tiny restarted (restart count 0 -> 1)']
        st(true, 10, 0) | [st(true, 10, 0)]                                         || ['ok']
    }

    def "ServiceStableCheck: a status that cannot be read is a failure with the reason, never a crash"() {
        when:
        def r = new ServiceStableCheck('zed-tiny', { throw new IllegalStateException('systemctl show zed-tiny failed (exit 1)') },
                Duration.ofSeconds(5)).check()

        then:
        !r.healthy()
        r.reason() == 'systemctl show zed-tiny failed (exit 1)'
        r.check() == 'service zed-tiny stays up'
    }

    def "a release with no checks but a restart in the window becomes healthy only a full window after the restart"() {
        given: 'up from the start; restarted (new PID) when the fake clock reads 250 ms'
        def clock = new FakeClock()
        def status = { clock.millis() < 250 ? st(true, 10, 0) : st(true, 11, 1) }
        def check = new ServiceStableCheck('zed-tiny', status, Duration.ofSeconds(5))
        def policy = new WaitPolicy(ms(5000), new Backoff(ms(100), ms(100), 1.0), ms(1000))
        def seen = []

        when:
        def r = new HealthWaiter(policy, { seen << it[0].reason() }, clock).await([check])

        then: 'rounds at 0..200 pass, 300 sees the restart, the window reopens at 400 and closes at 1400'
        r.healthy()
        seen[3] == 'service zed-tiny restarted (restart count 0 -> 1)'
        r.elapsed() == ms(1400)
        r.healthyFor() == ms(1000)
    }

    def "HealthWatch over #script, #failures failing rounds in a row make it sustained: held=#held after #rounds rounds"() {
        given:
        def clock = new FakeClock()
        def watch = new HealthWatch(new WatchPolicy(ms(1000), ms(100), failures), { }, clock)

        when:
        def r = watch.watch([scripted(script, clock)])

        then:
        r.held() == held
        r.rounds() == rounds
        r.failingSince() == ms(since)
        r.elapsed() == ms(elapsed)

        where:
        script       | failures || held  | rounds | since | elapsed
        'P'          | 3        || true  | 10     | 0     | 1000
        'PPFFF'      | 3        || false | 5      | 200   | 400
        'PPF'        | 1        || false | 3      | 200   | 200
        'PFFPFFP'    | 3        || true  | 10     | 0     | 1000
        'PPPPPPPPFF' | 3        || true  | 10     | 0     | 1000
        'F'          | 2        || false | 2      | 0     | 100
    }

    def "a sustained failure in the watch is summarised with when it began and why"() {
        given:
        def clock = new FakeClock()

        when:
        def r = new HealthWatch(new WatchPolicy(ms(1000), ms(100), 2), { }, clock).watch([scripted('PPF', clock), scripted('P', clock, 0, 'db')])

        then:
        r.summary() == 'failed 200 ms into the watch, still failing after 300 ms: app: down (run 4)'
    }

    def "a watch with no checks holds at once; bad watch policies are refused"() {
        expect:
        new HealthWatch(WatchPolicy.of(Duration.ofMinutes(10))).watch([]).held()

        when:
        new WatchPolicy(ms(period), ms(interval), n)

        then:
        thrown(IllegalArgumentException)

        where:
        period | interval | n
        0      | 100      | 1
        100    | 0        | 1
        100    | 100      | 0
    }

    def "during a watch, a restart fails every round after it: the baseline does not move"() {
        given:
        def states = [st(true, 10, 0), st(true, 20, 1), st(true, 20, 1)]
        int i = 0
        def watch = ServiceStableCheck.since('zed-tiny', { states[i++] }, java.time.Duration.ofSeconds(1), st(true, 10, 0))
        def rolling = new ServiceStableCheck('zed-tiny', { states[i++] }, java.time.Duration.ofSeconds(1))

        when:
        def w = (1..3).collect { watch.check(java.time.Duration.ofSeconds(1)).healthy() }
        i = 0
        def r = (1..3).collect { rolling.check(java.time.Duration.ofSeconds(1)).healthy() }

        then:
        w == [true, false, false]
        r == [true, false, true]
    }
}
