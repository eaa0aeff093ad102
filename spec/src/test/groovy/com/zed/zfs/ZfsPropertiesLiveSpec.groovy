package com.zed.zfs

import com.zed.support.LabSpecification

/** Datasets and properties on real OpenZFS: what we set is what ZFS reports back. */
class ZfsPropertiesLiveSpec extends LabSpecification {

    def "create sets properties at creation and one recursive get reads them back as local"() {
        given:
        def ds = root.child('created')

        when:
        zfs.create(ds, [(PropertyName.of('compression')): 'lz4', (PropertyName.of('recordsize')): '16K',
                        (PropertyName.zed('version')): '1.4.2'], false)
        def t = zfs.properties(root, true)

        then:
        t.names().containsAll([root.value(), ds.value()])
        t.value(ds.value(), 'compression').get() == 'lz4'
        t.value(ds.value(), 'recordsize').get() == '16384'
        t.value(ds.value(), 'com.zed:version').get() == '1.4.2'
        t.get(ds.value(), PropertyName.zed('version')).get().source() == PropertySource.LOCAL
        t.get(ds.value(), PropertyName.of('compression')).get().source() == PropertySource.LOCAL
    }

    def "create with parents makes the missing intermediate datasets"() {
        given:
        def deep = root.child('p1/p2/p3')

        when:
        zfs.create(deep, [:], true)

        then:
        zfs.exists(root.child('p1').value())
        zfs.exists(root.child('p1/p2').value())
        zfs.exists(deep.value())
    }

    def "creating a dataset that exists fails with zfs's own message"() {
        given:
        def ds = fresh()

        when:
        zfs.create(ds, [:], false)

        then:
        def e = thrown(ZfsException.DatasetExistsException)
        e.stderr().contains('dataset already exists')
        e.exitCode() == 1
    }

    def "reading a dataset that does not exist is DatasetNotFound"() {
        when:
        zfs.properties(root.child('missing'), false)

        then:
        def e = thrown(ZfsException.DatasetNotFoundException)
        e.stderr().contains('does not exist')
    }

    def "several properties are set in one command and read back with -p exact values"() {
        given:
        def ds = fresh()

        when:
        zfs.set(ds.value(), [(PropertyName.of('quota')): '1G', (PropertyName.of('atime')): 'off',
                             (PropertyName.zed('deployed-by')): 'ops'])
        def t = zfs.properties(ds, false)

        then:
        t.value(ds.value(), 'quota').get() == '1073741824'
        t.value(ds.value(), 'atime').get() == 'off'
        t.value(ds.value(), 'com.zed:deployed-by').get() == 'ops'
    }

    def "a user property set on a parent is inherited by its children, with the source named"() {
        given:
        def parent = fresh('parent')
        def child = parent.child('child')
        zfs.create(child, [:], false)

        when:
        zfs.set(parent.value(), [(PropertyName.zed('deploy')): 'trading'])
        def p = zfs.properties(parent, true).get(child.value(), PropertyName.zed('deploy')).get()

        then:
        p.value() == 'trading'
        p.source() == PropertySource.inherited(parent.value())
    }

    def "inherit clears a local value so the parent's applies again"() {
        given:
        def parent = fresh('parent')
        def child = parent.child('child')
        zfs.create(child, [(PropertyName.of('compression')): 'off'], false)
        zfs.set(parent.value(), [(PropertyName.of('compression')): 'lz4'])

        when:
        zfs.inherit(child.value(), PropertyName.of('compression'), false, false)
        def p = zfs.properties(child, false).get(child.value(), PropertyName.of('compression')).get()

        then:
        p.value() == 'lz4'
        p.source() == PropertySource.inherited(parent.value())
    }

    def "inheriting a user property nobody above sets removes it"() {
        given:
        def ds = fresh()
        zfs.set(ds.value(), [(PropertyName.zed('version')): '1.0.0'])

        when:
        zfs.inherit(ds.value(), PropertyName.zed('version'), false, false)

        then:
        !zfs.properties(ds, false).value(ds.value(), 'com.zed:version').present
    }

    def "an invalid value for a native property is refused by ZFS and nothing changes"() {
        given:
        def ds = fresh()
        def before = snapshotOfProperties(ds)

        when:
        zfs.set(ds.value(), [(PropertyName.of('compression')): 'bogus', (PropertyName.of('atime')): 'off'])

        then:
        def e = thrown(ZfsException)
        e.reason() == ZfsException.Reason.INVALID
        e.stderr().contains('compression')
        snapshotOfProperties(ds) == before
    }

    def "exists tells datasets, snapshots and bookmarks apart from missing ones"() {
        given:
        def ds = fresh()
        zfs.snapshot([ds.snapshot('s')], false, [:])
        zfs.bookmark(ds.snapshot('s'), ds.bookmark('b'))

        expect:
        zfs.exists(ds.value())
        zfs.exists(ds.snapshot('s').value())
        zfs.exists(ds.bookmark('b').value())
        !zfs.exists(ds.snapshot('nope').value())
        !zfs.exists(ds.bookmark('nope').value())
        !zfs.exists(root.child('nope').value())
    }

    def "selected properties of a snapshot come back in one call"() {
        given:
        def ds = fresh()
        zfs.snapshot([ds.snapshot('s')], false, [(PropertyName.zed('purpose')): 'test'])

        when:
        def t = zfs.properties(ds.snapshot('s').value(), [PropertyName.of('type'), PropertyName.zed('purpose')])

        then:
        t.value(ds.snapshot('s').value(), 'type').get() == 'snapshot'
        t.value(ds.snapshot('s').value(), 'com.zed:purpose').get() == 'test'
    }

    def "the version is OpenZFS 2.x"() {
        expect:
        zfs.version() ==~ /zfs-2\.\d+\.\d+.*/
    }
}
