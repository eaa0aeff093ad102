package com.zed.support

import com.zed.zfs.DatasetName
import com.zed.zfs.DestroyMode
import com.zed.zfs.PropertyName
import com.zed.zfs.PropertySource
import com.zed.zfs.SnapshotName
import com.zed.zfs.ZfsException
import spock.lang.Specification

/**
 * InMemoryZfs behaves like real OpenZFS on the cases it models. The expected observations below are
 * what real OpenZFS 2.1 and 2.3 do: InMemoryZfsLiveSpec runs the same scenarios on the lab and
 * compares them with InMemoryZfs.
 */
class InMemoryZfsSpec extends Specification {

    static InMemoryZfsScenarios.Host host(InMemoryZfs zfs) {
        def base = DatasetName.of('jeff/base')
        zfs.create(base, [:], false)
        new InMemoryZfsScenarios.Host(zfs: zfs, base: base,
                write: { DatasetName ds, String text -> zfs.write(ds, text) },
                read: { DatasetName ds -> zfs.data(ds) })
    }

    def "scenario '#name' observes what real ZFS does"() {
        expect:
        InMemoryZfsScenarios.run(name, host(new InMemoryZfs('jeff'))) == expected

        where:
        name << InMemoryZfsScenarios.NAMES
        expected << InMemoryZfsScenarios.NAMES.collect { EXPECTED[it] }
    }

    /** As observed on OpenZFS 2.1.11 and 2.3.2 (InMemoryZfsLiveSpec); B is the scenario's base dataset. */
    static final Map<String, Map<String, Object>> EXPECTED = [
            'inheritance' : [userInherited: '1 (inherited from B/p)', nativeInherited: 'lz4 (inherited from B/p)',
                             nativeDefault: '131072 (default)', quotaDefault: '0 (default)', unsetUser: '- (none)',
                             userLocal: '2 (local)', sizeCanonical: '16384 (local)', userInheritedAgain: '1 (inherited from B/p)',
                             inheritQuota: 'OTHER', badValue: 'INVALID', mountpointInherited: '/srv/M/c (inherited from B/p)'],
            'snapshots'   : [order: ['B/a@s1', 'B/b@s1', 'B/a@s2'], sameTxg: true,
                             own: ['B/a@s1': ['com.zed:x': '1'], 'B/b@s1': ['com.zed:x': '1'], 'B/a@s2': ['com.zed:later': 'yes']],
                             depth1: ['B/a@s1', 'B/a@s2'], takenAgain: 'EXISTS', atomic: true, nativeOnSnapshot: 'OTHER',
                             inheritedUserOnSnapshot: 'd (inherited from B/a)'],
            'rollback'    : [withNewer: 'NEWER_SNAPSHOTS', dataAfterRefusal: 'v3', dataLatest: 'v2', data: 'v1', newerGone: true,
                             propertyKept: 'after (local)'],
            'destroy'     : [withChild: 'HAS_CHILDREN', withSnapshot: 'HAS_CHILDREN', heldSnapshot: 'BUSY', heldRecursive: 'BUSY',
                             originOfClone: 'DEPENDENT_CLONES', recursiveWithClone: 'DEPENDENT_CLONES', missingSnapshot: 'NOT_FOUND',
                             gone: [false, false]],
            'create'      : [missingParent: 'NOT_FOUND', parentsMade: [true, true, true], again: 'EXISTS', exists: [true, false]],
            'clone'       : [cloneData: 'orig', origin: 'B/o@s', promotedSnapshots: ['B/c@s'], oldOrigin: 'B/c@s', cloneOrigin: 'none'],
            'holds'       : [holds: ['a', 'b'], userrefs: 2, twice: 'HOLD_EXISTS', releaseMissing: 'NO_SUCH_HOLD', after: 0],
            'narrow reads': [names: ['B/n1', 'B/n2'],
                             values: ['B/n1': ['com.x:v': '1 (local)', type: 'filesystem (none)'],
                                      'B/n2': ['com.x:v': '- (none)', type: 'filesystem (none)']],
                             snapshots: ['B/n1@s'], singleMissing: 'NOT_FOUND'],
    ]

    def "failures can be injected: the matching call fails once with a ZfsException, nothing changes"() {
        given:
        def zfs = new InMemoryZfs('jeff')
        zfs.failOn { List<String> argv -> argv[1] == 'snapshot' }

        when:
        zfs.snapshot([SnapshotName.of('jeff@s1')], false, [:])

        then:
        def e = thrown(ZfsException)
        e.argv() == ['zfs', 'snapshot', 'jeff@s1']
        !zfs.exists('jeff@s1')

        when: 'the next one goes through'
        zfs.snapshot([SnapshotName.of('jeff@s1')], false, [:])

        then:
        zfs.exists('jeff@s1')
    }

    def "every call is recorded as the zfs command it stands for; a narrow read is one call"() {
        given:
        def zfs = new InMemoryZfs('jeff')
        zfs.create(DatasetName.of('jeff/a'), [(PropertyName.of('compression')): 'lz4'], false)

        when:
        zfs.properties(['jeff/a', 'jeff/b'], [PropertyName.of('compression')])

        then:
        zfs.calls == [['zfs', 'create', '-o', 'compression=lz4', 'jeff/a'], ['zfs', 'get', '-p', 'compression', 'jeff/a', 'jeff/b']]
    }

    def "received values: local wins, inherit -S reverts to received, inherit without -S hides it"() {
        given:
        def zfs = new InMemoryZfs('jeff')
        zfs.create(DatasetName.of('jeff/a'), [:], false)
        zfs.receiveProperty('jeff/a', PropertyName.zed('version'), '1.0.0')
        def v = { zfs.properties('jeff/a', [PropertyName.zed('version')]).get('jeff/a', PropertyName.zed('version')).get() }

        expect:
        v().source() == PropertySource.RECEIVED

        when:
        zfs.set('jeff/a', [(PropertyName.zed('version')): '2.0.0'])

        then:
        v().value() == '2.0.0'
        v().source() == PropertySource.LOCAL

        when:
        zfs.inherit('jeff/a', PropertyName.zed('version'), false, true)

        then:
        v().value() == '1.0.0'
        v().source() == PropertySource.RECEIVED

        when:
        zfs.inherit('jeff/a', PropertyName.zed('version'), false, false)

        then:
        !v().hasValue()
    }

    def "send, receive and diff are not modelled"() {
        when:
        new InMemoryZfs('jeff').diff(SnapshotName.of('jeff@a'), 'jeff')

        then:
        thrown(UnsupportedOperationException)
    }
}
