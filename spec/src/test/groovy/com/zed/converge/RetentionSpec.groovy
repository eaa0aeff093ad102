package com.zed.converge

import com.zed.zfs.SnapshotInfo
import com.zed.zfs.SnapshotName
import spock.lang.Specification

import java.time.Instant

/** Retention as pure keep rules over a snapshot list (oldest first). */
class RetentionSpec extends Specification {
    static long txg = 100

    static SnapshotInfo snap(Map o = [:], String name) {
        def props = [:]
        if (o.zeds != false) {
            props[ZedProperties.SNAPSHOT] = ZedProperties.BEFORE_DEPLOY
            props[ZedProperties.DEPLOY] = o.deploy ?: 'web'
        }
        new SnapshotInfo(SnapshotName.of(name), 'g' + txg, txg++, Instant.EPOCH, 0, o.held ? 1 : 0, props)
    }

    static List<String> select(List<SnapshotInfo> list, int keep, String current = 'now') {
        Retention.select(list, 'web', keep, current)*.value()
    }

    def "the newest keep of this deploy's own snapshots stay, per dataset"() {
        given:
        def list = (1..5).collect { snap("jeff/a@zed-web-$it") } + (1..2).collect { snap("jeff/b@zed-web-$it") }

        expect:
        select(list, 3) == ['jeff/a@zed-web-1', 'jeff/a@zed-web-2']
    }

    def "other deploys' snapshots, and snapshots Zed did not take (whatever their name), are never candidates"() {
        given:
        def list = [snap('jeff/a@zed-web-lookalike', zeds: false), snap('jeff/a@zed-shop-1', deploy: 'shop'),
                    snap('jeff/a@zed-web-1'), snap('jeff/a@zed-web-2')]

        expect:
        select(list, 1) == ['jeff/a@zed-web-1']
    }

    def "a held snapshot stays, and does not make room for an older one"() {
        given:
        def list = [snap('jeff/a@zed-web-1'), snap('jeff/a@zed-web-2', held: true), snap('jeff/a@zed-web-3')]

        expect:
        select(list, 1) == ['jeff/a@zed-web-1']
    }

    def "the snapshot of the transaction that just ran is never pruned, and keep is at least 1"() {
        given:
        def list = [snap('jeff/a@zed-web-1'), snap('jeff/a@zed-web-2')]

        expect:
        select(list, 0, 'zed-web-1') == []
        select(list, 0) == ['jeff/a@zed-web-1']
    }
}
