package com.zed.replicate

import spock.lang.Specification

import static com.zed.replicate.ReplicationPlan.Action.*

/**
 * Resume tokens recorded from OpenZFS 2.3.2 in the lab: an incremental jeff/tok@s1 → @s2 cut after
 * ~3 MB, and a full stream of jeff/tok@s1 cut after 500 kB. `zfs send -nv -t` printed their contents:
 * fromguid 0xd6698d901701432b (@s1), toguid 0x13d227c08526434f (@s2), bytes 0x2c24b8.
 */
class ResumeTokenSpec extends Specification {
    static final String INCREMENTAL = '1-d5acfe0d6-e0-789c636064000310a501c49c50360710a715e5e7a69766a6304081b633a3f884decc6b0a40363b92bafca4acd4e412060666a83a0cf9b4b4e2d412908c165c9e0d493ea9b224b51848ef50d1c1aabf241fe20a7f67b5d603ea97843590e439c1f27989b9a90c0c59a96969fa25f9d90ec546302733000092da1be4'
    static final String FULL = '1-97e0dc06f-b8-789c636064000310a500c4ec50360710e72765a52697303030419460caa7a515a796806458e0f26c48f2499525a9c5407a052f1b56fd25f9e9a599290c0cdace8ce2137a33af6920c97382e5f31273531918b252d3d2f44bf2b31d8a0d19600000ad2814cf'
    static final String S1 = Long.toUnsignedString(0xd6698d901701432bL)
    static final String S2 = Long.toUnsignedString(0x13d227c08526434fL)

    def "decodes what zfs send -nv -t prints: toguid, toname, fromguid, bytes"() {
        when:
        def inc = ResumeToken.decode(INCREMENTAL).orElseThrow()
        def full = ResumeToken.decode(FULL).orElseThrow()

        then:
        inc.toGuid() == '1428247739650949967'
        inc.toName() == 'jeff/tok@s2'
        inc.fromGuid() == Optional.of('15450035646671962923')
        inc.bytes() == 0x2c24b8
        full.toGuid() == S1
        full.toName() == 'jeff/tok@s1'
        full.fromGuid().isEmpty()
    }

    def "#what does not decode (and so is resumed as before, letting zfs judge it)"() {
        expect:
        ResumeToken.decode(token).isEmpty()

        where:
        what                     | token
        'null'                   | null
        'not a token'            | 'abc'
        'version 2'              | '2' + INCREMENTAL.substring(1)
        'length that disagrees'  | INCREMENTAL.replace('-e0-', '-e8-')
        'truncated hex'          | INCREMENTAL.substring(0, 60)
        'not hex'                | '1-abc-de-789c'
    }

    static List<Point> pts(String ds, String spec) {
        spec.tokenize(' ').collect { t ->
            def (n, g, txg) = t.tokenize(':')
            new Point(n.startsWith('#') ? "$ds$n" : "$ds@$n", g, txg as long)
        }
    }

    def "a token whose #what: #action"() {
        given:
        def source = new SourceState(pts('jeff/tok', snaps), pts('jeff/tok', marks))
        def target = new TargetState(true, pts('backup/tok', "s1:$S1:5"), Optional.of(token), 0)

        when:
        def p = ReplicationPlanner.plan(source, target, false)

        then:
        p.action() == action
        p.sends() == (action == RESUME)
        p.token() == Optional.of(token)
        (action == ABORT_RESUME) == p.message().contains('zfs receive -A')
        p.message().contains(reason)

        where:
        what                                   | token       | snaps                    | marks          || action       | reason
        'snapshot and base are there'          | INCREMENTAL | "s1:$S1:10 s2:$S2:20"    | ''             || RESUME       | 'resume'
        'base survives as a bookmark only'     | INCREMENTAL | "s2:$S2:20"              | "#s1:$S1:10"   || RESUME       | 'resume'
        'snapshot was renamed (same guid)'     | INCREMENTAL | "s1:$S1:10 moved:$S2:20" | ''             || RESUME       | 'resume'
        'snapshot is gone from the source'     | INCREMENTAL | "s1:$S1:10 s3:999:30"    | ''             || ABORT_RESUME | 'jeff/tok@s2 (guid 1428247739650949967) is gone'
        'base is gone, snapshot and bookmark'  | INCREMENTAL | "s2:$S2:20"              | ''             || ABORT_RESUME | "base (guid $S1) is gone"
        'full stream, its snapshot is there'   | FULL        | "s1:$S1:10"              | ''             || RESUME       | 'resume'
        'full stream, its snapshot is gone'    | FULL        | "s9:9:90"                | ''             || ABORT_RESUME | 'jeff/tok@s1'
    }
}
