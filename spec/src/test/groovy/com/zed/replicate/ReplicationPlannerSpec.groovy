package com.zed.replicate

import spock.lang.Specification

import static com.zed.replicate.ReplicationPlan.Action.*

/**
 * The planner decides from guids, never names. Source points are written `name:guid:txg`, target
 * snapshots `name:guid:txg` too (their txg is the target pool's own order).
 */
class ReplicationPlannerSpec extends Specification {

    static List<Point> pts(String ds, String spec) {
        spec.tokenize(' ').collect { t ->
            def (n, g, txg) = t.tokenize(':')
            new Point(n.startsWith('#') ? "$ds$n" : "$ds@$n", g, txg as long)
        }
    }

    static SourceState src(String snaps, String marks = '') { new SourceState(pts('jeff/a', snaps), pts('jeff/a', marks)) }

    static TargetState dst(String snaps, long written = 0, String token = null) {
        new TargetState(true, pts('backup/a', snaps), Optional.ofNullable(token), written)
    }

    def "#what → #action #base → #to"() {
        when:
        def p = ReplicationPlanner.plan(source, target, rollback)

        then:
        p.action() == action
        p.base().map { it.name() }.orElse(null) == base
        p.to().map { it.name() }.orElse(null) == to
        p.rollbackTo().map { it.name() }.orElse(null) == rollbackTo
        p.sends() == (action in [FULL, INCREMENTAL, RESUME])

        where:
        what                                        | source                                      | target                                  | rollback || action             | base           | to          | rollbackTo
        'no target: full of the oldest'             | src('d1:g1:10 d2:g2:20')                    | TargetState.absent()                    | false    || FULL               | null           | 'jeff/a@d1' | null
        'same newest guid'                          | src('d1:g1:10 d2:g2:20')                    | dst('d1:g1:5 d2:g2:6')                  | false    || UP_TO_DATE         | 'jeff/a@d2'    | 'jeff/a@d2' | null
        'behind by two: -I from newest common'      | src('d1:g1:10 d2:g2:20 d3:g3:30')           | dst('d1:g1:5')                          | false    || INCREMENTAL        | 'jeff/a@d1'    | 'jeff/a@d3' | null
        'matched by guid, not name (renamed)'       | src('new:g1:10 d2:g2:20')                   | dst('old:g1:5')                         | false    || INCREMENTAL        | 'jeff/a@new'   | 'jeff/a@d2' | null
        'same name, other guid: no common'          | src('d1:g1:10 d2:g2:20')                    | dst('d1:x1:5')                          | false    || REFUSE_NO_COMMON   | null           | null        | null
        'pruned base: the bookmark'                 | src('d3:g3:30', '#d1:g1:10 #d2:g2:20')      | dst('d1:g1:5 d2:g2:6')                  | false    || INCREMENTAL        | 'jeff/a#d2'    | 'jeff/a@d3' | null
        'snapshot preferred to its own bookmark'    | src('d2:g2:20 d3:g3:30', '#d2:g2:20')       | dst('d2:g2:6')                          | false    || INCREMENTAL        | 'jeff/a@d2'    | 'jeff/a@d3' | null
        'newer bookmark beats older snapshot'       | src('d1:g1:10 d3:g3:30', '#d2:g2:20')       | dst('d1:g1:5 d2:g2:6')                  | false    || INCREMENTAL        | 'jeff/a#d2'    | 'jeff/a@d3' | null
        'resume token first'                        | src('d1:g1:10 d2:g2:20')                    | dst('d1:g1:5', 0, '1-abc-de-789c')      | false    || RESUME             | null           | null        | null
        'target snapshot of its own'                | src('d1:g1:10 d2:g2:20')                    | dst('d1:g1:5 local:l1:7')               | false    || REFUSE_DIVERGED    | null           | null        | null
        'target written since its snapshot'         | src('d1:g1:10 d2:g2:20')                    | dst('d1:g1:5', 4096)                    | false    || REFUSE_DIVERGED    | null           | null        | null
        'diverged, rollback allowed'                | src('d1:g1:10 d2:g2:20')                    | dst('d1:g1:5 local:l1:7')               | true     || INCREMENTAL        | 'jeff/a@d1'    | 'jeff/a@d2' | 'backup/a@d1'
        'written and up to date, rollback allowed'  | src('d1:g1:10')                             | dst('d1:g1:5', 512)                     | true     || UP_TO_DATE         | 'jeff/a@d1'    | 'jeff/a@d1' | 'backup/a@d1'
        'source snapshot the target has past base'  | src('d1:g1:10 d2:g2:20 d3:g3:30')           | dst('d1:g1:5 d2:g2:6')                  | false    || INCREMENTAL        | 'jeff/a@d2'    | 'jeff/a@d3' | null
        'no source snapshot'                        | src('')                                     | TargetState.absent()                    | false    || REFUSE_NO_SNAPSHOT | null           | null        | null
    }

    def "a refusal names what diverged: the target's own snapshot and the bytes written"() {
        when:
        def p = ReplicationPlanner.plan(src('d1:g1:10 d2:g2:20'), dst('d1:g1:5 local:l1:7', 8192), false)

        then:
        p.action() == REFUSE_DIVERGED
        p.divergence().size() == 2
        p.message().contains('backup/a@local')
        p.message().contains('8192 bytes written')
        p.message().contains('rollback')
    }

    def "the target's order is its own createtxg: a snapshot older than the base on the target is not divergence"() {
        expect:
        ReplicationPlanner.plan(src('d1:g1:10 d2:g2:20 d3:g3:30'), dst('manual:m:3 d1:g1:5 d2:g2:6'), false).action() == INCREMENTAL
    }
}
