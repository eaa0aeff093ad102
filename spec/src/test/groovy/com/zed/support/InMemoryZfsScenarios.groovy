package com.zed.support

import com.zed.zfs.DatasetName
import com.zed.zfs.DestroyMode
import com.zed.zfs.PropertyName
import com.zed.zfs.PropertyTable
import com.zed.zfs.SnapshotName
import com.zed.zfs.Zfs
import com.zed.zfs.ZfsException

/**
 * Scenarios run on InMemoryZfs (InMemoryZfsSpec, against what real ZFS does) and on the lab's real
 * OpenZFS (InMemoryZfsLiveSpec, against InMemoryZfs): each returns what it observed, with names made
 * relative to the scenario's base ("B"), so both runs compare as plain maps.
 */
class InMemoryZfsScenarios {
    /** Where a scenario runs: the Zfs, an empty base dataset, and the data marker of a filesystem. */
    static class Host {
        Zfs zfs
        DatasetName base
        Closure<Void> write    // (DatasetName, String)
        Closure<String> read   // (DatasetName) -> String
    }

    static final List<String> NAMES = ['inheritance', 'snapshots', 'rollback', 'destroy', 'create', 'clone', 'holds', 'narrow reads']

    static Map<String, Object> run(String name, Host h) {
        def obs = new LinkedHashMap<String, Object>()
        def rel = { String s -> s?.replace(h.base.value(), "B") }
        def outcome = { Closure c ->
            try {
                c()
                'ok'
            } catch (ZfsException e) {
                // 2.3 says "it's being held" (HELD) where 2.1 says "dataset is busy" (BUSY): one fact
                e.reason() == ZfsException.Reason.HELD ? 'BUSY' : e.reason().name()
            }
        }
        def prop = { String ds, String p ->
            def t = h.zfs.properties(ds, [PropertyName.read(p)]).get(ds, PropertyName.read(p)).get()
            "${t.value()} (${rel(t.source().toString())})".toString()
        }
        def B = h.base
        def zfs = h.zfs
        def P = { String k -> PropertyName.read(k) }
        switch (name) {
            case 'inheritance':
                zfs.create(B.child('p'), [(P('com.x:a')): '1', (P('compression')): 'lz4'], false)
                zfs.create(B.child('p/c'), [:], false)
                obs.userInherited = prop(B.child('p/c').value(), 'com.x:a')
                obs.nativeInherited = prop(B.child('p/c').value(), 'compression')
                obs.nativeDefault = prop(B.child('p/c').value(), 'recordsize')
                obs.quotaDefault = prop(B.child('p/c').value(), 'quota')
                obs.unsetUser = prop(B.child('p/c').value(), 'com.x:none')
                zfs.set(B.child('p/c').value(), [(P('com.x:a')): '2', (P('recordsize')): '16K'])
                obs.userLocal = prop(B.child('p/c').value(), 'com.x:a')
                obs.sizeCanonical = prop(B.child('p/c').value(), 'recordsize')
                zfs.inherit(B.child('p/c').value(), P('com.x:a'), false, false)
                obs.userInheritedAgain = prop(B.child('p/c').value(), 'com.x:a')
                obs.inheritQuota = outcome { zfs.inherit(B.child('p/c').value(), P('quota'), false, false) }
                obs.badValue = outcome { zfs.set(B.child('p/c').value(), [(P('compression')): 'bogus']) }
                zfs.set(B.child('p').value(), [(P('mountpoint')): '/srv/zed-inmem-' + B.value().tokenize('/').last()])
                obs.mountpointInherited = prop(B.child('p/c').value(), 'mountpoint').replaceAll('zed-inmem-[^/ ]*', 'M')
                zfs.inherit(B.child('p').value(), P('mountpoint'), false, false)
                break
            case 'snapshots':
                zfs.create(B.child('a'), [:], false)
                zfs.create(B.child('b'), [:], false)
                zfs.snapshot([B.child('a').snapshot('s1'), B.child('b').snapshot('s1')], false, [(P('com.zed:x')): '1'])
                zfs.snapshot([B.child('a').snapshot('s2')], false, [:])
                zfs.set(B.child('a').snapshot('s2').value(), [(P('com.zed:later')): 'yes'])
                def all = zfs.snapshots(B, true)
                obs.order = all.collect { rel(it.name().value()) }
                obs.sameTxg = all[0].createTxg() == all[1].createTxg()
                obs.own = all.collectEntries { [(rel(it.name().value())): it.userProperties().collectEntries { k, v -> [(k.value()): v] }] }
                obs.depth1 = zfs.snapshots(B.child('a'), false).collect { rel(it.name().value()) }
                obs.takenAgain = outcome { zfs.snapshot([B.child('b').snapshot('s9'), B.child('a').snapshot('s1')], false, [:]) }
                obs.atomic = !zfs.exists(B.child('b').snapshot('s9').value())
                obs.nativeOnSnapshot = outcome { zfs.set(B.child('a').snapshot('s1').value(), [(P('compression')): 'lz4']) }
                obs.inheritedUserOnSnapshot = (zfs.set(B.child('a').value(), [(P('com.x:ds')): 'd']) ?: prop(B.child('a').snapshot('s1').value(), 'com.x:ds'))
                break
            case 'rollback':
                def a = B.child('r')
                zfs.create(a, [:], false)
                h.write(a, 'v1')
                zfs.snapshot([a.snapshot('s1')], false, [:])
                h.write(a, 'v2')
                zfs.set(a.value(), [(P('com.x:p')): 'after'])
                zfs.snapshot([a.snapshot('s2')], false, [:])
                h.write(a, 'v3')
                obs.withNewer = outcome { zfs.rollback(a.snapshot('s1'), false) }
                obs.dataAfterRefusal = h.read(a)
                zfs.rollback(a.snapshot('s2'), false)
                obs.dataLatest = h.read(a)
                zfs.rollback(a.snapshot('s1'), true)
                obs.data = h.read(a)
                obs.newerGone = !zfs.exists(a.snapshot('s2').value())
                obs.propertyKept = prop(a.value(), 'com.x:p')
                break
            case 'destroy':
                def d = B.child('d')
                zfs.create(d.child('c'), [:], true)
                obs.withChild = outcome { zfs.destroy(d, DestroyMode.SINGLE) }
                zfs.destroy(d.child('c'), DestroyMode.SINGLE)
                zfs.snapshot([d.snapshot('s')], false, [:])
                obs.withSnapshot = outcome { zfs.destroy(d, DestroyMode.SINGLE) }
                zfs.hold('keep', [d.snapshot('s')], false)
                obs.heldSnapshot = outcome { zfs.destroy(d.snapshot('s'), DestroyMode.SINGLE) }
                obs.heldRecursive = outcome { zfs.destroy(d, DestroyMode.RECURSIVE) }
                zfs.release('keep', [d.snapshot('s')], false)
                zfs.clone(d.snapshot('s'), B.child('cl'), [:], false)
                obs.originOfClone = outcome { zfs.destroy(d.snapshot('s'), DestroyMode.SINGLE) }
                obs.recursiveWithClone = outcome { zfs.destroy(d, DestroyMode.RECURSIVE) }
                obs.missingSnapshot = outcome { zfs.destroy(d.snapshot('nope'), DestroyMode.SINGLE) }
                zfs.destroy(d, DestroyMode.RECURSIVE_AND_CLONES)
                obs.gone = [d, B.child('cl')].collect { zfs.exists(it.value()) }
                break
            case 'create':
                obs.missingParent = outcome { zfs.create(B.child('x/y'), [:], false) }
                zfs.create(B.child('x/y/z'), [:], true)
                obs.parentsMade = ['x', 'x/y', 'x/y/z'].collect { zfs.exists(B.child(it).value()) }
                obs.again = outcome { zfs.create(B.child('x'), [:], false) }
                obs.exists = [zfs.exists(B.child('x/y').value()), zfs.exists(B.child('nope').value())]
                break
            case 'clone':
                def o = B.child('o')
                zfs.create(o, [:], false)
                h.write(o, 'orig')
                zfs.snapshot([o.snapshot('s')], false, [:])
                zfs.clone(o.snapshot('s'), B.child('c'), [(P('com.x:c')): '1'], false)
                obs.cloneData = h.read(B.child('c'))
                obs.origin = rel(zfs.properties(B.child('c').value(), [P('origin')]).value(B.child('c').value(), 'origin').get())
                zfs.promote(B.child('c'))
                obs.promotedSnapshots = zfs.snapshots(B.child('c'), false).collect { rel(it.name().value()) }
                obs.oldOrigin = rel(zfs.properties(o.value(), [P('origin')]).value(o.value(), 'origin').get())
                obs.cloneOrigin = zfs.properties(B.child('c').value(), [P('origin')]).value(B.child('c').value(), 'origin').orElse('none')
                break
            case 'holds':
                def s = B.child('h').snapshot('s')
                zfs.create(B.child('h'), [:], false)
                zfs.snapshot([s], false, [:])
                zfs.hold('a', [s], false)
                zfs.hold('b', [s], false)
                obs.holds = zfs.holds(s)*.tag().sort()
                obs.userrefs = zfs.snapshots(B.child('h'), false)[0].userRefs()
                obs.twice = outcome { zfs.hold('a', [s], false) }
                obs.releaseMissing = outcome { zfs.release('zz', [s], false) }
                zfs.release('a', [s], false)
                zfs.release('b', [s], false)
                obs.after = zfs.holds(s).size()
                break
            case 'narrow reads':
                zfs.create(B.child('n1'), [(P('com.x:v')): '1'], false)
                zfs.create(B.child('n2'), [:], false)
                zfs.snapshot([B.child('n1').snapshot('s')], false, [:])
                PropertyTable t = zfs.properties([B.child('n2').value(), B.child('gone').value(), B.child('n1').value()],
                        [P('com.x:v'), P('type')])
                obs.names = t.names().collect { rel(it) }.sort()
                obs.values = t.asMap().collectEntries { n, ps -> [(rel(n)): ps.collectEntries { k, v -> [(k.value()): "${v.value()} (${rel(v.source().toString())})".toString()] }] }
                obs.snapshots = zfs.snapshots([B.child('gone'), B.child('n1'), B.child('n2')]).collect { rel(it.name().value()) }
                obs.singleMissing = outcome { zfs.properties(B.child('gone').value(), [P('type')]) }
                break
            default:
                throw new IllegalArgumentException(name)
        }
        obs
    }
}
