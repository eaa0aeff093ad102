package com.zed.zfs

import com.zed.support.Fixtures
import spock.lang.Specification

import java.time.Instant

/** Parsers against outputs recorded from real OpenZFS 2.1 and 2.3. */
class ZfsOutputParsingSpec extends Specification {

    def "zfs get -Hp -r all from OpenZFS #version parses into every dataset's properties with their sources"() {
        when:
        def t = PropertyTable.parse(Fixtures.text(version, 'get-r-all.txt'))

        then: 'all three datasets, in zfs order'
        t.names().toList() == ['jeff/fx', 'jeff/fx/app', 'jeff/fx/vol']

        and: 'local values and their source'
        t.get('jeff/fx', PropertyName.of('compression')).get().source() == PropertySource.LOCAL
        t.value('jeff/fx', 'compression').get() == 'lz4'
        t.value('jeff/fx/app', 'quota').get() == '1073741824'
        t.value('jeff/fx/app', 'recordsize').get() == '16384'

        and: 'inheritance says from where'
        t.get('jeff/fx/app', PropertyName.of('compression')).get().source() == PropertySource.inherited('jeff/fx')
        t.get('jeff/fx/app', PropertyName.of('atime')).get().source() == PropertySource.inherited('jeff/fx')

        and: 'user properties, local and inherited'
        t.get('jeff/fx/app', PropertyName.zed('deployed-by')).get().source() == PropertySource.LOCAL
        t.value('jeff/fx/app', 'com.zed:version').get() == '1.4.2'
        t.get('jeff/fx/app', PropertyName.zed('version')).get().source() == PropertySource.inherited('jeff/fx')

        and: '-p prints numbers, and - for no value'
        t.value('jeff/fx', 'used').get() ==~ /\d+/
        t.value('jeff/fx', 'creation').get() ==~ /\d+/
        t.value('jeff/fx/vol', 'volsize').get() == '16777216'
        !t.value('jeff/fx', 'origin').present  // 2.3 omits origin for a non-clone, 2.1 prints '-'

        and: 'defaults and read-only properties'
        t.get('jeff/fx', PropertyName.of('checksum')).get().source() == PropertySource.DEFAULT
        t.get('jeff/fx', PropertyName.of('type')).get().source() == PropertySource.NONE
        t.value('jeff/fx/vol', 'type').get() == 'volume'

        where:
        version << Fixtures.VERSIONS
    }

    def "snapshots from OpenZFS #version carry their own Zed properties, not inherited ones"() {
        when:
        def snaps = SnapshotInfo.parse(Fixtures.text(version, 'get-snapshots.txt'))
        def byName = snaps.collectEntries { [(it.name().value()): it] }

        then: 'oldest first by transaction group'
        snaps*.name()*.value() as Set == ['jeff/fx@s1', 'jeff/fx/app@s1', 'jeff/fx@s2', 'jeff/fx/app@s2', 'jeff/fx/vol@s2'] as Set
        snaps*.createTxg() == snaps*.createTxg().sort(false)

        and: 'the two snapshots taken in one command share a transaction group'
        byName['jeff/fx@s1'].createTxg() == byName['jeff/fx/app@s1'].createTxg()

        and: 'properties given at snapshot time are local to the snapshot'
        with(byName['jeff/fx/app@s1'] as SnapshotInfo) {
            userProperties() == [(PropertyName.zed('purpose')): 'before-deploy', (PropertyName.zed('deploy')): 'trading']
            zeds
            held
            userRefs() == 1
            creation().isAfter(Instant.parse('2020-01-01T00:00:00Z'))
        }

        and: 'a property set on a snapshot later is its own too; inherited ones do not count'
        byName['jeff/fx/app@s2'].userProperties() == [(PropertyName.zed('note')): 'hello']
        byName['jeff/fx/vol@s2'].userProperties().isEmpty()
        !byName['jeff/fx/vol@s2'].zeds
        !byName['jeff/fx/vol@s2'].held

        where:
        version << Fixtures.VERSIONS
    }

    def "zfs diff -FHt from OpenZFS #version parses changes, file types, renames and escaped names"() {
        when:
        def entries = DiffEntry.parse(Fixtures.text(version, 'diff.txt'))
        def byPath = entries.collectEntries { [(it.path()): it] }

        then:
        byPath['/jeff/fx/app/changed.txt'].change() == DiffEntry.Change.MODIFIED
        byPath['/jeff/fx/app/changed.txt'].type() == DiffEntry.FileType.FILE
        byPath['/jeff/fx/app/gone.txt'].change() == DiffEntry.Change.REMOVED
        byPath['/jeff/fx/app/old-name.txt'].change() == DiffEntry.Change.RENAMED
        byPath['/jeff/fx/app/old-name.txt'].newPath().get() == '/jeff/fx/app/new name.txt'
        byPath['/jeff/fx/app/dir'].type() == DiffEntry.FileType.DIRECTORY
        byPath['/jeff/fx/app/link'].type() == DiffEntry.FileType.SYMLINK
        byPath['/jeff/fx/app/fifo'].type() == DiffEntry.FileType.FIFO
        byPath['/jeff/fx/app/ünïcödé.txt'].change() == DiffEntry.Change.ADDED
        byPath['/jeff/fx/app/tab\tin name'].change() == DiffEntry.Change.ADDED
        byPath['/jeff/fx/app/back\\slash'].change() == DiffEntry.Change.ADDED
        entries.every { it.changed().isAfter(Instant.parse('2020-01-01T00:00:00Z')) }

        where:
        version << Fixtures.VERSIONS
    }

    def "malformed output is reported, not guessed at: #what"() {
        when:
        parse(text)

        then:
        thrown(ZfsParseException)

        where:
        what                    | text                                      | parse
        'three get fields'      | 'jeff\tused\t12\n'                        | { String s -> PropertyTable.parse(s) }
        'unknown source'        | 'jeff\tused\t12\tsomewhere\n'             | { String s -> PropertyTable.parse(s) }
        'unknown diff change'   | '1.0\tX\tF\t/a\n'                         | { String s -> DiffEntry.parse(s) }
        'rename with one path'  | '1.0\tR\tF\t/a\n'                         | { String s -> DiffEntry.parse(s) }
        'snapshot without guid' | 'jeff@s\tcreatetxg\t1\t-\n'               | { String s -> SnapshotInfo.parse(s) }
    }

    def "zfs's error messages from OpenZFS #version become typed exceptions: #fixture"() {
        given:
        def err = Fixtures.error(version, fixture)

        when:
        def e = ZfsException.classify(['zfs', 'x'], err.exit as int, err.stderr as String)

        then:
        type.isInstance(e)
        e.reason() in reasons
        e.stderr() == err.stderr
        e.exitCode() == err.exit
        e.message.startsWith(err.stderr.toString().readLines().first())

        where:
        [version, fixture, type, reasons] << Fixtures.VERSIONS.collectMany { v ->
            [
                    ['not-found', ZfsException.DatasetNotFoundException, [ZfsException.Reason.NOT_FOUND]],
                    ['snap-not-found', ZfsException.DatasetNotFoundException, [ZfsException.Reason.NOT_FOUND]],
                    ['bookmark-not-found', ZfsException.DatasetNotFoundException, [ZfsException.Reason.NOT_FOUND]],
                    ['bad-value', ZfsException, [ZfsException.Reason.INVALID]],
                    ['exists', ZfsException.DatasetExistsException, [ZfsException.Reason.EXISTS]],
                    // 2.1 says "dataset is busy" for a held snapshot, 2.3 "it's being held"
                    ['held', ZfsException.DatasetBusyException, [ZfsException.Reason.HELD, ZfsException.Reason.BUSY]],
                    ['busy-unmount', ZfsException.DatasetBusyException, [ZfsException.Reason.BUSY]],
                    ['dependent-clones', ZfsException.DatasetBusyException, [ZfsException.Reason.DEPENDENT_CLONES]],
                    ['newer-snapshots', ZfsException.NewerSnapshotsException, [ZfsException.Reason.NEWER_SNAPSHOTS]],
                    ['has-children', ZfsException, [ZfsException.Reason.HAS_CHILDREN]],
                    ['no-such-tag', ZfsException, [ZfsException.Reason.NO_SUCH_HOLD]],
                    ['hold-exists', ZfsException, [ZfsException.Reason.HOLD_EXISTS]],
                    ['bad-property', ZfsException, [ZfsException.Reason.INVALID]],
            ].collect { [v] + it }
        }
    }

    def "zfs holds -H and bookmark listings from OpenZFS #version"() {
        expect:
        Fixtures.text(version, 'holds.txt').readLines().collect { it.split('\t')[0..1] } == [['jeff/fx/app@s1', 'zed-keep']]
        Fixtures.text(version, 'bookmarks.txt').readLines().collect { BookmarkName.of(it) } == [BookmarkName.of('jeff/fx/app#b1')]

        where:
        version << Fixtures.VERSIONS
    }

    def "the version line names the release: #version"() {
        expect:
        Fixtures.text(version, 'version.txt').readLines().first().startsWith("zfs-$version")

        where:
        version << Fixtures.VERSIONS
    }
}
