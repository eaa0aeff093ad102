package com.zed.support

import com.zed.exec.SshRunner
import com.zed.zfs.DatasetName
import com.zed.zfs.DestroyMode
import com.zed.zfs.PoolName
import com.zed.zfs.SnapshotName
import com.zed.zfs.ZfsCli
import org.opentest4j.TestAbortedException
import spock.lang.Shared
import spock.lang.Specification

import java.nio.charset.StandardCharsets

/**
 * Base of every *LiveSpec: real OpenZFS in the lab VM. Each spec class works under its own
 * scratch dataset, destroyed (holds released first) when the class finishes.
 * Without a lab: skipped with the reason — except under CI=true, where that is a failure.
 */
abstract class LabSpecification extends Specification {
    @Shared DatasetName root
    @Shared ZfsCli zfs
    @Shared SshRunner runner
    @Shared PoolName pool = PoolName.of(LiveLab.pools()[0])
    @Shared PoolName otherPool = PoolName.of(LiveLab.pools()[1])

    def setupSpec() {
        String why = LiveLab.whyNot()
        if (why != null) {
            if (System.getenv('CI') == 'true') {
                throw new IllegalStateException("CI must run the live ZFS specs, but: $why")
            }
            throw new TestAbortedException("live ZFS spec skipped: $why")
        }
        runner = LiveLab.runner()
        zfs = LiveLab.zfs()
        root = pool.root().child("spec-${getClass().simpleName.toLowerCase()}-${System.nanoTime() % 1_000_000}")
        zfs.create(root, [:], false)
    }

    def cleanupSpec() {
        if (zfs == null || root == null) {
            return
        }
        // A spec that failed mid-transaction may leave the pool locked (needs-attention): that is the
        // product working, but it must not fail every spec after it. Its report already says why.
        [pool, otherPool].each { p ->
            zfs.snapshots(p.root(), false).findAll { it.name().shortName() == 'zed-lock' || it.name().shortName().startsWith('zed-claim-') }
                    .each { zfs.destroy(it.name(), DestroyMode.SINGLE) }
        }
        [root, otherPool.root().child(root.value().substring(root.value().indexOf('/') + 1))].each { ds ->
            if (zfs.exists(ds.value())) {
                releaseAllHolds(ds)
                // a service a spec just stopped may still be leaving its mountpoint: retry "busy" a few times
                for (int attempt = 1; ; attempt++) {
                    try {
                        zfs.destroy(ds, DestroyMode.RECURSIVE_AND_CLONES)
                        break
                    } catch (com.zed.zfs.ZfsException.DatasetBusyException e) {
                        if (attempt == 5) {
                            throw e
                        }
                        Thread.sleep(2000)
                    }
                }
            }
        }
    }

    void releaseAllHolds(DatasetName ds) {
        zfs.snapshots(ds, true).findAll { it.held }.each { s ->
            zfs.holds(s.name()).each { h -> zfs.release(h.tag(), [s.name()], false) }
        }
    }

    /** Stops and removes a service a spec deployed in the VM, with its files outside ZFS (unit, env, cookie). */
    void removeService(String service) {
        runner.run(['systemctl', 'stop', service])
        runner.run(['systemctl', 'disable', '--quiet', "${service}.service".toString()])
        runner.run(['rm', '-f', "/etc/systemd/system/${service}.service".toString(), "/etc/systemd/system/${service}-cmd.service".toString(),
                    "/etc/zed/${service}.env".toString(), "/etc/zed/${service}.cookie".toString()])
    }

    /** A fresh child dataset of this spec's root. */
    DatasetName fresh(String prefix = 'ds') {
        DatasetName ds = root.child("$prefix-${System.nanoTime() % 1_000_000_000}")
        zfs.create(ds, [:], false)
        ds
    }

    String mountpoint(DatasetName ds) {
        zfs.properties(ds, false).value(ds.value(), 'mountpoint').orElseThrow()
    }

    /** Writes a file in the VM through stdin (no shell). */
    void write(String path, String content) {
        def r = runner.run(['tee', path], content.getBytes(StandardCharsets.UTF_8))
        assert r.ok(), r.stderr()
    }

    String read(String path) {
        def r = runner.run(['cat', path])
        r.ok() ? r.stdout() : null
    }

    /** Every non-volatile property of every dataset under `top`, value and source: "the host as it was". */
    Map<String, Map<String, String>> state(DatasetName top) {
        zfs.properties(top, true).asMap().collectEntries { n, p -> [(n): com.zed.converge.Converger.comparable(p)] } as Map<String, Map<String, String>>
    }

    /** Every property of a tree, as `zfs get -Hp -r all` prints it (for before/after comparisons). */
    Map<String, Map<String, String>> snapshotOfProperties(DatasetName ds) {
        zfs.properties(ds, true).asMap().collectEntries { name, props ->
            [(name): props.collectEntries { k, v -> [(k.value()): v.value() + ' (' + v.source() + ')'] }]
        } as Map<String, Map<String, String>>
    }

    SnapshotName snap(DatasetName ds, String name) {
        ds.snapshot(name)
    }
}
