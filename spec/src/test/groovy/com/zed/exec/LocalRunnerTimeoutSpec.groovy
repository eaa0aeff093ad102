package com.zed.exec

import spock.lang.Specification

import java.time.Duration

/**
 * Every command is bounded. Real slow commands, and only lower bounds on time: a spec never asserts
 * how fast something ends, only that a timed-out command was killed and reported.
 */
class LocalRunnerTimeoutSpec extends Specification {
    def runner = new LocalRunner()

    static boolean running(String commandLine) {
        ProcessHandle.allProcesses().anyMatch { p ->
            p.info().commandLine().map { it == commandLine }.orElse(false) && p.isAlive()
        }
    }

    static boolean goneWithin(String commandLine, long millis) {
        long end = System.nanoTime() + millis * 1_000_000
        while (System.nanoTime() < end) {
            if (!running(commandLine)) {
                return true
            }
            Thread.sleep(20)
        }
        !running(commandLine)
    }

    def "sleep 5 with a 200 ms timeout is killed and reported as a CommandTimeoutException naming command and timeout"() {
        when:
        long t0 = System.nanoTime()
        runner.run(['sleep', '5.125'], null, Duration.ofMillis(200))

        then:
        def e = thrown(CommandTimeoutException)
        (System.nanoTime() - t0) >= 200_000_000L
        e.argv() == ['sleep', '5.125']
        e.timeout() == Duration.ofMillis(200)
        e.where() == 'local'
        e.message == 'command timed out after 200 ms and was killed: sleep 5.125 (local)'
        goneWithin('/usr/bin/sleep 5.125', 2000) || goneWithin('sleep 5.125', 2000)
    }

    def "the command's children are killed too (they would otherwise hold its output open)"() {
        when:
        runner.run(['sh', '-c', 'sleep 7.375 & echo started; wait'], null, Duration.ofMillis(300))

        then:
        def e = thrown(CommandTimeoutException)
        e.partialStdout() == 'started\n'
        goneWithin('sleep 7.375', 2000)
    }

    def "a command that feeds on stdin and never ends is killed while its input is still being written"() {
        given: 'an endless input to a command that never reads it'
        def endless = new InputStream() {
            int read() { 'x' as char }
            int read(byte[] b, int off, int len) { Arrays.fill(b, off, off + len, (byte) 120); len }
        }

        when:
        runner.run(['sleep', '6.25'], endless, Duration.ofMillis(200))

        then:
        thrown(CommandTimeoutException)
    }

    def "a command that ends in time returns normally, whatever its exit code"() {
        expect:
        runner.run(['sh', '-c', 'exit 3'], null, Duration.ofSeconds(30)).exitCode() == 3
        runner.run(['true'], Timeouts.Kind.READ).ok()
    }

    def "runs without a timeout get the runner's default: the write timeout"() {
        given:
        def quick = new LocalRunner(Timeouts.DEFAULTS.with(Timeouts.Kind.WRITE, Duration.ofMillis(200)))

        when:
        quick.run(['sleep', '5.5'])

        then:
        def e = thrown(CommandTimeoutException)
        e.timeout() == Duration.ofMillis(200)
    }

    def "timeouts per kind: defaults, overrides, and a non-positive timeout is refused before anything runs"() {
        expect:
        Timeouts.DEFAULTS.of(kind) == expected
        Timeouts.DEFAULTS.with(kind, Duration.ofSeconds(1)).of(kind) == Duration.ofSeconds(1)

        when:
        runner.run(['true'], null, Duration.ZERO)

        then:
        thrown(IllegalArgumentException)

        where:
        kind                  || expected
        Timeouts.Kind.READ    || Duration.ofMinutes(2)
        Timeouts.Kind.WRITE   || Duration.ofMinutes(10)
        Timeouts.Kind.SERVICE || Duration.ofMinutes(5)
        Timeouts.Kind.UNPACK  || Duration.ofMinutes(30)
    }

    def "a streaming start with a timeout is killed, and waitFor says it timed out"() {
        given:
        def ex = runner.start(['sleep', '8.5'], Duration.ofMillis(200))

        when:
        ex.waitFor()

        then:
        thrown(CommandTimeoutException)

        cleanup:
        ex?.close()
    }

    def "a runner that cannot open connections says so"() {
        when:
        new com.zed.support.RecordingRunner().connector()

        then:
        thrown(UnsupportedOperationException)

        expect:
        new LocalRunner().connector() == Connector.direct()
    }
}
