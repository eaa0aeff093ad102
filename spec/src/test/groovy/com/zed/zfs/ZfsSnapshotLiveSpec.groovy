package com.zed.zfs

import com.zed.support.LabSpecification

/** Snapshots, rollback, holds, bookmarks, clones and diff on real OpenZFS. */
class ZfsSnapshotLiveSpec extends LabSpecification {

    def "snapshots of several datasets in one command share a transaction group"() {
        given:
        def a = fresh('a')
        def b = fresh('b')

        when:
        zfs.snapshot([a.snapshot('deploy'), b.snapshot('deploy')], false, [:])
        def snaps = zfs.snapshots(root, true).findAll { it.name().shortName() == 'deploy' }

        then:
        snaps*.name() as Set == [a.snapshot('deploy'), b.snapshot('deploy')] as Set
        snaps*.createTxg().unique().size() == 1
    }

    def "a recursive snapshot covers every descendant"() {
        given:
        def top = fresh('top')
        zfs.create(top.child('x/y'), [:], true)

        when:
        zfs.snapshot([top.snapshot('r')], true, [:])

        then:
        zfs.snapshots(top, true)*.name()*.value() as Set ==
                [top.snapshot('r'), top.child('x').snapshot('r'), top.child('x/y').snapshot('r')]*.value() as Set
    }

    def "a snapshot keeps the Zed properties it was stamped with after the dataset moves on"() {
        given:
        def ds = fresh()
        zfs.set(ds.value(), [(PropertyName.zed('version')): '1.0.0'])

        when: 'the deploy snapshot records the version, then the dataset is upgraded'
        zfs.snapshot([ds.snapshot('v1')], false, [(PropertyName.zed('version')): '1.0.0', (PropertyName.zed('purpose')): 'before-deploy'])
        zfs.set(ds.value(), [(PropertyName.zed('version')): '1.0.1'])
        def info = zfs.snapshots(ds, false).find { it.name() == ds.snapshot('v1') }

        then:
        info.user(PropertyName.zed('version')).get() == '1.0.0'
        info.user(PropertyName.zed('purpose')).get() == 'before-deploy'
        info.zeds
        zfs.properties(ds, false).value(ds.value(), 'com.zed:version').get() == '1.0.1'
    }

    def "snapshots are listed oldest first"() {
        given:
        def ds = fresh()

        when:
        ['c', 'a', 'b'].each { zfs.snapshot([ds.snapshot(it)], false, [:]) }

        then:
        zfs.snapshots(ds, false)*.name()*.shortName() == ['c', 'a', 'b']
    }

    def "rollback restores the files of the snapshot"() {
        given:
        def ds = fresh()
        def file = mountpoint(ds) + '/release.txt'
        write(file, 'v1')
        zfs.snapshot([ds.snapshot('good')], false, [:])
        write(file, 'v2-broken')
        write(mountpoint(ds) + '/extra', 'x')

        when:
        zfs.rollback(ds.snapshot('good'), false)

        then:
        read(file) == 'v1'
        read(mountpoint(ds) + '/extra') == null
    }

    def "rollback past newer snapshots is refused unless told to destroy them"() {
        given:
        def ds = fresh()
        zfs.snapshot([ds.snapshot('old')], false, [:])
        zfs.snapshot([ds.snapshot('new')], false, [:])

        when:
        zfs.rollback(ds.snapshot('old'), false)

        then:
        def e = thrown(ZfsException.NewerSnapshotsException)
        e.stderr().contains(ds.snapshot('new').value())
        zfs.exists(ds.snapshot('new').value())

        when:
        zfs.rollback(ds.snapshot('old'), true)

        then:
        !zfs.exists(ds.snapshot('new').value())
        zfs.exists(ds.snapshot('old').value())
    }

    def "a held snapshot cannot be destroyed until released"() {
        given:
        def ds = fresh()
        def s = ds.snapshot('keep')
        zfs.snapshot([s], false, [:])

        when:
        zfs.hold('zed-rollback-point', [s], false)

        then:
        zfs.holds(s) == [new Hold(s, 'zed-rollback-point')]
        zfs.snapshots(ds, false).find { it.name() == s }.userRefs() == 1

        when:
        zfs.destroy(s, DestroyMode.SINGLE)

        then:
        def e = thrown(ZfsException.DatasetBusyException)
        e.reason() in [ZfsException.Reason.HELD, ZfsException.Reason.BUSY]
        zfs.exists(s.value())

        when:
        zfs.release('zed-rollback-point', [s], false)
        zfs.destroy(s, DestroyMode.SINGLE)

        then:
        !zfs.exists(s.value())
    }

    def "the same hold tag twice, or releasing an unknown tag, are typed errors"() {
        given:
        def ds = fresh()
        def s = ds.snapshot('h')
        zfs.snapshot([s], false, [:])
        zfs.hold('t1', [s], false)

        when:
        zfs.hold('t1', [s], false)

        then:
        def eholdexists = thrown(ZfsException)
        eholdexists.reason() == ZfsException.Reason.HOLD_EXISTS

        when:
        zfs.release('nope', [s], false)

        then:
        def enosuchhold = thrown(ZfsException)
        enosuchhold.reason() == ZfsException.Reason.NO_SUCH_HOLD

        cleanup:
        zfs.release('t1', [s], false)
    }

    def "a bookmark outlives its snapshot"() {
        given:
        def ds = fresh()
        def s = ds.snapshot('s1')
        zfs.snapshot([s], false, [:])

        when:
        zfs.bookmark(s, ds.bookmark('b1'))
        zfs.destroy(s, DestroyMode.SINGLE)

        then:
        zfs.bookmarks(ds) == [ds.bookmark('b1')]

        when:
        zfs.destroy(ds.bookmark('b1'))

        then:
        zfs.bookmarks(ds).isEmpty()
    }

    def "a snapshot with a clone cannot be destroyed"() {
        given:
        def ds = fresh()
        zfs.snapshot([ds.snapshot('base')], false, [:])
        zfs.clone(ds.snapshot('base'), root.child('clone-of-base'), [:], false)

        when:
        zfs.destroy(ds.snapshot('base'), DestroyMode.SINGLE)

        then:
        def e = thrown(ZfsException.DatasetBusyException)
        e.reason() == ZfsException.Reason.DEPENDENT_CLONES
        zfs.exists(ds.snapshot('base').value())
    }

    def "a clone starts with its origin's files and records the origin"() {
        given:
        def ds = fresh()
        write(mountpoint(ds) + '/f', 'from origin')
        zfs.snapshot([ds.snapshot('o')], false, [:])
        def clone = root.child('clone-' + System.nanoTime() % 100000)

        when:
        zfs.clone(ds.snapshot('o'), clone, [(PropertyName.zed('role')): 'candidate'], false)
        def t = zfs.properties(clone, false)

        then:
        read(mountpoint(clone) + '/f') == 'from origin'
        t.value(clone.value(), 'origin').get() == ds.snapshot('o').value()
        t.value(clone.value(), 'com.zed:role').get() == 'candidate'
    }

    def "promote turns a clone into the origin's parent"() {
        given:
        def ds = fresh('orig')
        zfs.snapshot([ds.snapshot('o')], false, [:])
        def clone = root.child('promoted-' + System.nanoTime() % 100000)
        zfs.clone(ds.snapshot('o'), clone, [:], false)

        when:
        zfs.promote(clone)

        then: 'the snapshot moved to the clone, and the old origin now depends on it'
        zfs.exists(clone.snapshot('o').value())
        !zfs.exists(ds.snapshot('o').value())
        zfs.properties(ds, false).value(ds.value(), 'origin').get() == clone.snapshot('o').value()
        !zfs.properties(clone, false).value(clone.value(), 'origin').present
    }

    def "rename moves a dataset and renames a snapshot"() {
        given:
        def ds = fresh('before')
        zfs.snapshot([ds.snapshot('s')], false, [:])
        def after = root.child('after-' + System.nanoTime() % 100000)

        when:
        zfs.rename(ds.value(), after.value(), false)
        zfs.rename(after.snapshot('s').value(), after.snapshot('t').value(), false)

        then:
        !zfs.exists(ds.value())
        zfs.exists(after.snapshot('t').value())
        !zfs.exists(after.snapshot('s').value())
    }

    def "destroy stops at children unless recursion is asked for; a pool root is never destroyed"() {
        given:
        def ds = fresh('parent')
        zfs.create(ds.child('kid'), [:], false)

        when:
        zfs.destroy(ds, DestroyMode.SINGLE)

        then:
        def ehaschildren = thrown(ZfsException)
        ehaschildren.reason() == ZfsException.Reason.HAS_CHILDREN
        zfs.exists(ds.child('kid').value())

        when:
        zfs.destroy(ds, DestroyMode.RECURSIVE)

        then:
        !zfs.exists(ds.value())

        when:
        zfs.destroy(pool.root(), DestroyMode.RECURSIVE)

        then:
        thrown(IllegalArgumentException)
        zfs.exists(pool.root().value())
    }

    def "zfs diff reports added, modified, removed and renamed files, odd names included"() {
        given:
        def ds = fresh()
        def m = mountpoint(ds)
        write("$m/keep", 'k')
        write("$m/edit", 'v1')
        write("$m/drop", 'd')
        write("$m/old", 'o')
        zfs.snapshot([ds.snapshot('d1')], false, [:])
        write("$m/edit", 'v2')
        assert runner.run(['rm', "$m/drop".toString()]).ok()
        assert runner.run(['mv', "$m/old".toString(), "$m/new name".toString()]).ok()
        write("$m/ünï cödé", 'u')

        when:
        def entries = zfs.diff(ds.snapshot('d1'), ds.value())
        def byPath = entries.collectEntries { [(it.path()): it] }

        then:
        byPath["$m/edit"].change() == DiffEntry.Change.MODIFIED
        byPath["$m/drop"].change() == DiffEntry.Change.REMOVED
        byPath["$m/old"].change() == DiffEntry.Change.RENAMED
        byPath["$m/old"].newPath().get() == "$m/new name"
        byPath["$m/ünï cödé"].change() == DiffEntry.Change.ADDED
        byPath["$m/ünï cödé"].type() == DiffEntry.FileType.FILE
        !byPath.containsKey("$m/keep")
    }
}
