package com.zed.converge

import com.zed.model.AppSpec
import com.zed.model.Deployment
import com.zed.support.InMemoryZfs
import com.zed.zfs.DatasetName
import com.zed.zfs.PropertyName
import spock.lang.Specification

import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

import static com.zed.support.Models.*

/**
 * The transaction end to end against an in-memory Zfs and a recording runtime: a failure at any
 * step, and a crash left on the lock, end in exactly the state before — data, properties, files
 * outside ZFS, the running release — with the lock gone and history telling how it ended.
 */
class TransactionSpec extends Specification {
    InMemoryZfs zfs = new InMemoryZfs('jeff')
    FakeHost host = new FakeHost()
    List<String> progress = []
    Clock clock = Clock.fixed(Instant.parse('2026-11-24T12:00:00Z'), ZoneOffset.UTC)

    /** A target as the runtime sees it: which release runs, and the files kept outside ZFS. */
    static class FakeHost implements AppRuntime {
        String running
        Map<String, String> files = [:]
        Map<String, Map<String, String>> saved = [:]
        List<String> calls = []
        String failAt
        String cancelAt
        Error crashAt

        void check(AppSpec app, DatasetName dataset) { }

        AppState observe(AppSpec app, DatasetName dataset, String mountpoint) {
            new AppState(true, Optional.ofNullable(running), Optional.ofNullable(running), running ? 'active' : 'inactive', [])
        }

        void deploy(AppSpec app, DatasetName dataset, String mountpoint, Optional<String> from, Journal journal) {
            for (String phase in ['unpack', 'environment', 'stop', 'switch', 'start', 'health']) {
                journal.phase("$phase ${app.name()}")
                calls << "$phase ${app.version()}".toString()
                if (phase == 'environment') {
                    files.env = "VERSION=${app.version()}".toString()
                }
                if (phase == 'switch') {
                    running = app.version()
                }
                if (cancelAt == phase) {
                    Cancellation.request('SIGTERM')   // what the CLI's signal handler does
                }
                if (failAt == phase) {
                    throw phase == 'health' ? new HealthCheckFailedException(app.name(), app.version(), 'not up')
                            : new IllegalStateException("$phase failed")
                }
                if (crashAt != null && phase == 'switch') {
                    throw crashAt
                }
            }
        }

        void saveFiles(List<String> apps, String id) { saved[id] = new LinkedHashMap(files) }

        void restoreFiles(String app, String id) {
            calls << "restore files $id".toString()
            if (saved.containsKey(id)) {
                files = new LinkedHashMap(saved[id])
            }
        }

        void dropSaved(String id) { saved.remove(id) }

        void stop(String app) { calls << 'stop'.toString() }

        void start(String app, String mountpoint, Optional<AppSpec> spec, String version) {
            Cancellation.check()   // the health wait checks for a stop request every round
            calls << "start $version".toString()
            running = version
        }
    }

    Deployment web(String version, Map props = [compression: 'lz4']) {
        deployment('web', 'jeff', [dataset('apps/web', props)], [app('web', 'apps/web', version)])
    }

    Converger converger(String host = 'deploy-host') {
        new Converger(zfs, clock, new Actor('ci', host), { progress << it }, { a -> this.host })
    }

    Map<String, String> props(String ds) {
        zfs.properties(ds, [PropertyName.of('compression'), ZedProperties.VERSION, ZedProperties.APP_CONFIG])
                .of(ds).collectEntries { k, v -> [(k.value()): v.value() + ' (' + v.source() + ')'] }
    }

    /** A killed process releases nothing: its lock stays (the try-with-resources of a dying JVM must not count). */
    void noRelease() {
        zfs.failOn { List<String> argv -> argv[1] == 'destroy' && argv.last().endsWith('@zed-lock') }
    }

    def cleanup() {
        Cancellation.reset()
    }

    def setup() {
        converger().converge(web('1.0.0'), new Converger.Options('sha256:a'))
        zfs.write(DatasetName.of('jeff/apps/web'), 'release 1.0.0')
        host.calls.clear()
        clock = Clock.offset(clock, java.time.Duration.ofMinutes(1))
    }

    def "a failure at '#phase' undoes everything: data, properties, the env file, the running release"() {
        given:
        def before = props('jeff/apps/web')
        def filesBefore = new LinkedHashMap(host.files)
        host.failAt = phase

        when:
        def r = converger().converge(web('1.0.1', [compression: 'zstd']), new Converger.Options('sha256:b'))

        then:
        r.outcome() == Converger.Outcome.ROLLED_BACK
        props('jeff/apps/web') == before
        zfs.data(DatasetName.of('jeff/apps/web')) == 'release 1.0.0'
        host.files == filesBefore
        host.running == '1.0.0'
        host.calls.takeRight(3) == ['stop', "restore files ${r.snapshot().get()}".toString(), 'start 1.0.0']
        !zfs.exists(PoolLock.lockName(com.zed.zfs.PoolName.of('jeff')).value())
        History.of(zfs, com.zed.zfs.PoolName.of('jeff'), 'web').last().result() == 'rolled-back'

        and: 'only a failed health check ghosts the version'
        (zfs.properties('jeff/apps/web', [ZedProperties.GHOSTED]).value('jeff/apps/web', 'com.zed:ghosted').orElse('') == '1.0.1') == (phase == 'health')

        where:
        phase << ['unpack', 'environment', 'stop', 'switch', 'start', 'health']
    }

    def "a zfs command that fails mid-apply is undone like any other step"() {
        given:
        def before = props('jeff/apps/web')
        zfs.failOn { List<String> argv -> argv[1] == 'set' && argv.any { it.startsWith('com.zed:version=') } }

        when:
        def r = converger().converge(web('1.0.1', [compression: 'zstd']), new Converger.Options('sha256:b'))

        then:
        r.outcome() == Converger.Outcome.ROLLED_BACK
        props('jeff/apps/web') == before
        host.running == '1.0.0'
    }

    def "a crash leaves its journal on the lock; the next run on the same host, holder gone, undoes it and goes on"() {
        given: 'a deploy dies after switching (an Error is not caught: like SIGKILL, nothing runs after it)'
        host.crashAt = new ThreadDeath()
        noRelease()
        def dead = new ProcessBuilder('true').start()
        dead.waitFor()

        when:
        converger().converge(web('1.0.1', [compression: 'zstd']), new Converger.Options('sha256:b'))

        then:
        thrown(ThreadDeath)

        when: 'the lock still names the crashed transaction; its holder is made a dead process on this host'
        def lock = PoolLock.read(zfs, com.zed.zfs.PoolName.of('jeff')).get()
        zfs.set(PoolLock.lockName(com.zed.zfs.PoolName.of('jeff')).value(), [(ZedProperties.LOCK_PID): "${dead.pid()}".toString()])
        host.crashAt = null
        host.calls.clear()
        clock = Clock.offset(clock, java.time.Duration.ofMinutes(1))
        def r = converger().converge(web('1.0.1', [compression: 'zstd']), new Converger.Options('sha256:c'))

        then:
        lock.phase().get() == 'switch web'
        Txn.parse(lock.txn().get()).apps()*.from == ['1.0.0']
        r.recovered().get().outcome() == 'undone: the host is as before it'
        r.outcome() == Converger.Outcome.APPLIED
        host.running == '1.0.1'
        host.calls.take(3) == ['stop', "restore files ${Txn.parse(lock.txn().get()).id()}".toString(), 'start 1.0.0']
        History.of(zfs, com.zed.zfs.PoolName.of('jeff'), 'web')*.result().takeRight(2) == ['interrupted', 'ok']
        !zfs.exists(PoolLock.lockName(com.zed.zfs.PoolName.of('jeff')).value())
    }

    def "a lock whose holder cannot be proven gone is refused with the command that recovers it, and nothing changes"() {
        given:
        host.crashAt = new ThreadDeath()
        noRelease()
        try {
            converger('other-host').converge(web('1.0.1'), new Converger.Options('sha256:b'))
        } catch (ThreadDeath ignored) {
        }
        host.crashAt = null
        def calls = zfs.calls.size()

        when:
        converger('deploy-host').converge(web('1.0.1'), new Converger.Options('sha256:c'))

        then:
        def e = thrown(PoolLock.LockedException)
        e.message.contains("--force-unlock 'ci@other-host:${ProcessHandle.current().pid()}'")
        // reads, and the attempt to create the lock, which fails: nothing else
        zfs.calls.drop(calls).every { it[1] in ['get', 'list'] || (it[1] == 'snapshot' && it.last() == 'jeff@zed-lock') }
        host.running == '1.0.1'

        when: 'the human names the holder'
        def rec = Recovery.recover(zfs, web('1.0.1'), Optional.of("ci@other-host:${ProcessHandle.current().pid()}".toString()),
                new Actor('ops', 'deploy-host'), clock, { progress << it }, { a -> host })

        then:
        rec.get().outcome() == 'undone: the host is as before it'
        host.running == '1.0.0'
        !zfs.exists(PoolLock.lockName(com.zed.zfs.PoolName.of('jeff')).value())
    }

    def "an undo that fails keeps the lock as needs-attention; runs refuse until zed recover"() {
        given:
        host.failAt = 'start'
        zfs.failOn { List<String> argv -> argv[1] == 'rollback' }

        when:
        converger().converge(web('1.0.1'), new Converger.Options('sha256:b'))

        then:
        def e = thrown(Converger.RollbackFailedException)
        e.message.contains('zed recover')
        PoolLock.read(zfs, com.zed.zfs.PoolName.of('jeff')).get().needsAttention()

        when:
        host.failAt = null
        converger().converge(web('1.0.1'), new Converger.Options('sha256:c'))

        then:
        def n = thrown(Recovery.NeedsAttentionException)
        n.message.contains('zed recover')

        when:
        def rec = Recovery.recover(zfs, web('1.0.1'), Optional.empty(), new Actor('ops', 'deploy-host'), clock, { progress << it },
                { a -> host })

        then:
        rec.isPresent()
        host.running == '1.0.0'
        zfs.data(DatasetName.of('jeff/apps/web')) == 'release 1.0.0'
        !zfs.exists(PoolLock.lockName(com.zed.zfs.PoolName.of('jeff')).value())
    }

    def "SIGTERM during apply rolls back at the next phase, and the undo itself is not stopped by it"() {
        given:
        host.cancelAt = 'stop'

        when:
        def r = converger().converge(web('1.0.1', [compression: 'zstd']), new Converger.Options('sha256:b'))

        then:
        r.outcome() == Converger.Outcome.ROLLED_BACK
        r.error().get().contains('stopped by the operator (SIGTERM)')
        host.running == '1.0.0'
        host.calls.last() == 'start 1.0.0'
        !zfs.exists(PoolLock.lockName(com.zed.zfs.PoolName.of('jeff')).value())
        History.of(zfs, com.zed.zfs.PoolName.of('jeff'), 'web').last().result() == 'rolled-back'
    }

    def "a lock is this process's only for the same actor, host, pid and start time"() {
        given:
        def me = new Actor('ci', 'deploy-host')
        def lock = PoolLock.acquire(zfs, com.zed.zfs.PoolName.of('jeff'), me, clock)
        def held = PoolLock.read(zfs, com.zed.zfs.PoolName.of('jeff')).get().holder()

        expect:
        held.isThisProcess(me)
        !held.isThisProcess(new Actor('ops', 'deploy-host'))
        !held.isThisProcess(new Actor('ci', 'other-host'))
        !new PoolLock.Holder(held.owner(), held.host(), held.pid() + 1, held.started(), held.token(), held.at()).isThisProcess(me)
        !new PoolLock.Holder(held.owner(), held.host(), held.pid(), held.started() + '0', held.token(), held.at()).isThisProcess(me)

        cleanup:
        lock?.close()
    }
}
