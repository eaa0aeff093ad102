package com.zed.replicate

import spock.lang.Specification

/** Progress lines from an injected clock: rate, share of the estimate, ETA; printed once per interval. */
class ProgressSpec extends Specification {
    long now = 0
    def buf = new ByteArrayOutputStream()
    def out = new PrintStream(buf, true)

    List<String> lines() { buf.toString().readLines() }

    def "one line per interval, with bytes, percentage, rate and ETA"() {
        given:
        def p = new Progress(out, { now }, 1_000_000_000L, 'jeff/a@d1 → jeff/a@d2', 10 * 1024 * 1024)

        when: '1 MiB in the first half second: no line yet'
        now = 500_000_000L
        p.add(1024 * 1024)

        then:
        lines() == []

        when: '2 MiB after 1 s'
        now = 1_000_000_000L
        p.add(1024 * 1024)

        then:
        lines() == ['jeff/a@d1 → jeff/a@d2: 2.0 MiB of ~10.0 MiB (20%), 2.0 MiB/s, ETA 4s']

        when: 'the rest after 2 s more; finish prints the last line'
        now = 3_000_000_000L
        p.add(8 * 1024 * 1024)
        p.finish()

        then:
        lines()[1] == 'jeff/a@d1 → jeff/a@d2: 10.0 MiB of ~10.0 MiB (100%), 3.3 MiB/s'
        lines()[2] == 'jeff/a@d1 → jeff/a@d2: 10.0 MiB of ~10.0 MiB (100%), 3.3 MiB/s done'
        p.bytes() == 10 * 1024 * 1024
    }

    def "without an estimate: bytes and rate only; a stream larger than its estimate caps at 100%"() {
        expect:
        new Progress(out, { 0L }, 1, 'x', 0).with { add(2048); line(2_000_000_000L) } == 'x: 2.0 KiB, 1.0 KiB/s'
        new Progress(out, { 0L }, 1, 'x', 100).with { add(150); line(1_000_000_000L) } == 'x: 150 B of ~100 B (100%), 150 B/s'
    }

    def "sizes and durations: #bytes → #size"() {
        expect:
        Progress.size(bytes) == size

        where:
        bytes                       || size
        0                           || '0 B'
        1023                        || '1023 B'
        1536                        || '1.5 KiB'
        5L * 1024 * 1024 * 1024     || '5.0 GiB'
    }

    def "ETA #secs s reads #text"() {
        expect:
        Progress.duration(secs) == text

        where:
        secs || text
        59   || '59s'
        61   || '1m01s'
        3725 || '1h02m'
    }

    def "silent progress still counts"() {
        given:
        def p = Progress.silent()

        when:
        p.add(10)
        p.finish()

        then:
        p.bytes() == 10
    }
}
