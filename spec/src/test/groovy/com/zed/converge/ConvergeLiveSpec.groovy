package com.zed.converge

import com.zed.model.Deployment
import com.zed.support.LabSpecification
import com.zed.support.LiveLab
import com.zed.zfs.DatasetName
import com.zed.zfs.PropertyName
import com.zed.zfs.SnapshotName

import java.time.Clock

import static com.zed.support.Models.*

/** Converge on real OpenZFS: deploy, re-run, change, bump, fail and roll back, prune, lock. */
class ConvergeLiveSpec extends LabSpecification {
    List<String> progress = []

    Converger converger() {
        new Converger(zfs, Clock.systemUTC(), new Actor('spec', 'lab-host'), { progress << it })
    }

    /** A deploy under its own subtree of this spec's root, so features do not see each other. */
    String base(String name) {
        root.value().substring(root.value().indexOf('/') + 1) + '/' + name
    }

    DatasetName ds(String rel) {
        pool.root().child(rel)
    }

    Converger.Result run(Deployment d) {
        converger().converge(d, new Converger.Options('sha256:spec'))
    }

    def "a first deploy converges an empty subtree: datasets, properties and the app's version"() {
        given:
        def b = base('first')
        def d = deployment('first', pool.value(), [dataset("$b/apps/exmc", ['compression': 'lz4', 'recordsize': '16K'])],
                [app('exmc', "$b/apps/exmc", '1.0.0')])

        when:
        def r = run(d)
        def t = zfs.properties(ds("$b/apps/exmc"), false)
        def n = ds("$b/apps/exmc").value()

        then:
        r.outcome() == Converger.Outcome.APPLIED
        t.value(n, 'compression').get() == 'lz4'
        t.value(n, 'recordsize').get() == '16384'
        t.value(n, 'com.zed:version').get() == '1.0.0'
        t.value(n, 'com.zed:app').get() == 'exmc'
        t.value(n, 'com.zed:deploy').get() == 'first'
        t.value(n, 'com.zed:deployed-by').get() == 'spec@lab-host'
        t.value(n, 'com.zed:script-hash').get() == 'sha256:spec'
        !zfs.exists(PoolLock.lockName(pool).value())
    }

    def "a second run plans nothing and runs no command that changes anything"() {
        given:
        def b = base('idem')
        def d = deployment('idem', pool.value(), [dataset("$b/a", ['compression': 'lz4', 'quota': '1G']), dataset("$b/b")],
                [app('a', "$b/a", '2.0.0')])
        run(d)
        int mark = LiveLab.commands.size()

        when:
        def r = run(d)
        // `env LC_ALL=C.UTF-8 zfs get -j ...` on 2.3: the verb follows the zfs binary
        def verbs = LiveLab.commands.subList(mark, LiveLab.commands.size()).collect { it.argv()[it.argv()[0] == 'env' ? 3 : 1] }

        then:
        r.outcome() == Converger.Outcome.NO_CHANGES
        r.plan().isEmpty()
        verbs.every { it in ['get', 'list'] }   // the state, and whether an interrupted transaction left a lock
        verbs.size() <= 2
    }

    def "a property change is planned, snapshotted first, applied and verified"() {
        given:
        def b = base('prop')
        def name = ds("$b/data")
        run(deployment('prop', pool.value(), [dataset("$b/data", ['compression': 'lz4'])]))
        write(mountpoint(name) + '/file', 'payload')

        when:
        def r = run(deployment('prop', pool.value(), [dataset("$b/data", ['compression': 'zstd', 'atime': 'off'])]))
        def snap = name.snapshot(r.snapshot().get())
        def info = zfs.snapshots(name, false).find { it.name() == snap }

        then:
        r.outcome() == Converger.Outcome.APPLIED
        r.plan().steps()*.class == [Step.SetProperties]
        zfs.properties(name, false).value(name.value(), 'compression').get() == 'zstd'
        info.user(ZedProperties.SNAPSHOT).get() == 'before-deploy'
        info.user(ZedProperties.RESULT).get() == 'ok'
        RestoreRecord.parse(info.user(ZedProperties.RESTORE).get()).compression == RestoreRecord.Restore.set('lz4')
        RestoreRecord.parse(info.user(ZedProperties.RESTORE).get()).atime == new RestoreRecord.Restore('inherit', null)
        read(mountpoint(name) + '/file') == 'payload'
    }

    def "a version bump records the new version, and history tells the story"() {
        given:
        def b = base('bump')
        def mk = { String v -> deployment('bump', pool.value(), [dataset("$b/app")], [app('exmc', "$b/app", v)]) }
        run(mk('1.0.0'))

        when:
        def r = run(mk('1.0.1'))
        def h = History.of(zfs, pool, 'bump')

        then:
        r.plan().steps() == [new Step.DeployApp(ds("$b/app"), 'exmc', Optional.of('1.0.0'), '1.0.1')]
        zfs.properties(ds("$b/app"), false).value(ds("$b/app").value(), 'com.zed:version').get() == '1.0.1'
        h.size() == 1
        h[0].summary() == 'exmc 1.0.0→1.0.1'
        h[0].result() == 'ok'
        h[0].by() == 'spec@lab-host'
        h[0].snapshots() == [ds("$b/app").snapshot(r.snapshot().get())]
    }

    def "a failure mid-apply rolls back: the host is exactly as it was before"() {
        given: 'a deployed tree with data'
        def b = base('fail')
        def top = ds(b)
        def good = deployment('fail', pool.value(), [dataset(b), dataset("$b/a", ['compression': 'lz4']),
                                                      dataset("$b/b")], [app('svc', "$b/a", '1.0.0')])
        run(good)
        write(mountpoint(ds("$b/a")) + '/release', 'v1')
        assert runner.run(['dd', 'if=/dev/urandom', "of=${mountpoint(ds("$b/b"))}/blob".toString(), 'bs=1M', 'count=3']).ok()
        def before = state(top)
        def snapsBefore = zfs.snapshots(top, true)*.name()

        when: 'a deploy changes a, creates a-new, bumps the app, then sets a quota below what b uses'
        def bad = deployment('fail', pool.value(), [dataset(b), dataset("$b/a", ['compression': 'zstd', 'com.example:x': 'y']),
                                                     dataset("$b/a-new/deeper"), dataset("$b/b", ['quota': '1M'])],
                [app('svc', "$b/a", '1.0.1')])
        def r = run(bad)

        then: 'zfs refused the quota, and Zed rolled everything back'
        r.outcome() == Converger.Outcome.ROLLED_BACK
        r.error().get().contains('quota')
        progress.any { it.startsWith('rollback:') }

        and: 'every property of every dataset is as before; created datasets are gone'
        state(top) == before
        !zfs.exists(ds("$b/a-new").value())

        and: 'data is intact, and the rollback point stays, marked'
        read(mountpoint(ds("$b/a")) + '/release') == 'v1'
        def after = zfs.snapshots(top, true)
        after*.name().containsAll(snapsBefore)
        after.find { it.name().shortName() == r.snapshot().get() }.user(ZedProperties.RESULT).get() == 'rolled-back'
        History.of(zfs, pool, 'fail').last().result() == 'rolled-back'
    }

    def "retention keeps the newest N of Zed's own snapshots, never a held one nor a stranger's"() {
        given:
        def b = base('keep')
        def name = ds("$b/d")
        def mk = { String v -> deployment('keep', pool.value(), [dataset("$b/d", ['com.example:v': v])], [], 2) }
        run(mk('0'))
        run(mk('1'))
        def oldest = zfs.snapshots(name, false).find { Converger.isBeforeDeploy(it, 'keep') }.name()
        zfs.hold('operator', [oldest], false)
        zfs.snapshot([name.snapshot('zed-keep-lookalike')], false, [:])   // Zed-like name, not Zed's

        when:
        ['2', '3', '4'].each { run(mk(it)) }
        def zeds = zfs.snapshots(name, false).findAll { Converger.isBeforeDeploy(it, 'keep') }

        then: 'the 2 newest, plus the held one'
        zeds.size() == 3
        zeds*.name().contains(oldest)
        zeds.findAll { !it.held }.size() == 2
        zfs.exists(name.snapshot('zed-keep-lookalike').value())

        cleanup:
        zfs.release('operator', [oldest], false)
    }

    def "a pool locked by a zed on another host is refused with the command that recovers it; only naming that holder takes it"() {
        given:
        def b = base('lock')
        def d = deployment('lock', pool.value(), [dataset("$b/x")])
        zfs.snapshot([PoolLock.lockName(pool)], false, [(ZedProperties.LOCK_OWNER): 'alice@ops', (ZedProperties.LOCK_HOST): 'ops',
                                                        (ZedProperties.LOCK_PID): '4242', (ZedProperties.LOCK_TOKEN): 't-1',
                                                        (ZedProperties.LOCK_AT): '2026-11-23T10:00:00Z'])

        when:
        run(d)

        then:
        def e = thrown(PoolLock.LockedException)
        e.message.contains('alice@ops')
        e.message.contains("zed recover <target> <script of deploy 'lock'> --force-unlock 'alice@ops:4242'")
        !e.holderGone()
        !zfs.exists(ds("$b/x").value())

        when: 'a force that names someone else'
        Recovery.recover(zfs, d, Optional.of('bob@ops:1'), new Actor('spec', 'lab-host'), Clock.systemUTC(), { progress << it },
                { a -> AppRuntime.RECORD_ONLY })

        then:
        thrown(IllegalArgumentException)
        zfs.exists(PoolLock.lockName(pool).value())

        when: 'the holder named exactly'
        def rec = Recovery.recover(zfs, d, Optional.of('alice@ops:4242'), new Actor('spec', 'lab-host'), Clock.systemUTC(),
                { progress << it }, { a -> AppRuntime.RECORD_ONLY })
        def r = run(d)

        then:
        rec.get().outcome() == 'nothing to undo'
        r.outcome() == Converger.Outcome.APPLIED
        !zfs.exists(PoolLock.lockName(pool).value())
        zfs.snapshots(pool.root(), false).every { !it.name().shortName().startsWith('zed-claim-') }
    }

    def "a lock left by a dead process on this host is taken over by the next run, which says so"() {
        given:
        def dead = new ProcessBuilder('true').start()
        dead.waitFor()
        zfs.snapshot([PoolLock.lockName(pool)], false, [(ZedProperties.LOCK_OWNER): 'spec@lab-host', (ZedProperties.LOCK_HOST): 'lab-host',
                                                        (ZedProperties.LOCK_PID): "${dead.pid()}".toString(), (ZedProperties.LOCK_TOKEN): 't-2',
                                                        (ZedProperties.LOCK_AT): 'then'])

        when:
        def r = run(deployment('stale', pool.value(), [dataset(base('stale'))]))

        then:
        r.outcome() == Converger.Outcome.APPLIED
        r.recovered().isPresent()
        progress.any { it.contains('is gone: recovering its transaction first') }
        !zfs.exists(PoolLock.lockName(pool).value())
    }

    def "zed rollback returns data, properties and version to before the last deploy"() {
        given:
        def b = base('rb')
        def name = ds("$b/app")
        run(deployment('rb', pool.value(), [dataset("$b/app", ['compression': 'lz4'])], [app('exmc', "$b/app", '1.0.0')]))
        write(mountpoint(name) + '/release', 'one')
        def before = state(name)
        run(deployment('rb', pool.value(), [dataset("$b/app", ['compression': 'zstd', 'com.example:x': 'y'])], [app('exmc', "$b/app", '1.0.1')]))
        write(mountpoint(name) + '/release', 'two')

        when:
        def r = Rollback.run(zfs, deployment('rb', pool.value(), [dataset("$b/app")]), Optional.empty(), false,
                new Actor('spec', 'lab-host'), Clock.systemUTC(), { progress << it }, { a -> AppRuntime.RECORD_ONLY })

        then:
        r.rolledBack() == [name.snapshot(r.snapshot())]
        read(mountpoint(name) + '/release') == 'one'
        state(name) == before
        History.of(zfs, pool, 'rb').last().result() == 'rolled-back'
    }

    def "zed rollback to an older deploy refuses to destroy newer snapshots unless told"() {
        given:
        def b = base('rb2')
        def name = ds("$b/app")
        def mk = { String v -> deployment('rb2', pool.value(), [dataset("$b/app")], [app('exmc', "$b/app", v)]) }
        run(mk('1'))
        run(mk('2'))
        run(mk('3'))
        def first = History.of(zfs, pool, 'rb2').first().snapshot()

        when:
        Rollback.run(zfs, mk('3'), Optional.of(first), false, new Actor('spec', 'h'), Clock.systemUTC(), {}, { a -> AppRuntime.RECORD_ONLY })

        then:
        def e = thrown(Rollback.RefusedException)
        e.message.contains('--destroy-newer')
        History.of(zfs, pool, 'rb2').size() == 2

        when:
        def r = Rollback.run(zfs, mk('3'), Optional.of(first), true, new Actor('spec', 'h'), Clock.systemUTC(), {}, { a -> AppRuntime.RECORD_ONLY })

        then:
        r.destroyedNewer().size() == 1
        zfs.properties(name, false).value(name.value(), 'com.zed:version').get() == '1'
    }
}
