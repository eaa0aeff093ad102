package com.zed.zfs

import com.zed.exec.LocalRunner
import com.zed.support.RecordingRunner
import spock.lang.Specification

/** How ZfsCli turns typed requests into argument arrays — and what it refuses to run at all. */
class ZfsCommandLineSpec extends Specification {
    def runner = new RecordingRunner()
    def zfs = new ZfsCli(runner)

    def "several snapshots are taken in one zfs snapshot command, properties first"() {
        when:
        zfs.snapshot([SnapshotName.of('jeff/a@d1'), SnapshotName.of('jeff/b@d1')], false,
                [(PropertyName.zed('deploy')): 'trading', (PropertyName.zed('by')): 'ops'])

        then:
        runner.commands == [['zfs', 'snapshot', '-o', 'com.zed:by=ops', '-o', 'com.zed:deploy=trading', 'jeff/a@d1', 'jeff/b@d1']]
    }

    def "an atomic snapshot cannot span pools"() {
        when:
        zfs.snapshot([SnapshotName.of('jeff/a@d1'), SnapshotName.of('backup/b@d1')], false, [:])

        then:
        thrown(IllegalArgumentException)
        runner.commands.isEmpty()
    }

    def "a read on a host that speaks zfs get -j is one call, in a UTF-8 locale so zfs escapes non-ASCII"() {
        when:
        zfs.properties(['jeff/apps', 'jeff/my data'], [PropertyName.of('compression'), PropertyName.zed('version')])
        zfs.properties(DatasetName.of('jeff/apps'), true)

        then:
        runner.commands == [
                ['env', 'LC_ALL=C.UTF-8', 'zfs', 'get', '-j', '-p', 'compression,com.zed:version', 'jeff/apps', 'jeff/my data'],
                ['env', 'LC_ALL=C.UTF-8', 'zfs', 'get', '-j', '-p', '-t', 'filesystem,volume', '-r', 'all', 'jeff/apps'],
        ]
    }

    def "before it knows, a broad read does not probe: the exact key listing, then the values with the value last"() {
        when:
        zfs.snapshots([DatasetName.of('jeff/a'), DatasetName.of('jeff/b')])

        then:
        runner.commands == [
                ['zfs', 'get', '-H', '-o', 'name,property', '-p', '-t', 'snapshot', '-d', '1', 'all', 'jeff/a', 'jeff/b'],
                ['zfs', 'get', '-H', '-o', 'name,property,source,value', '-p', '-t', 'snapshot', '-d', '1', 'all', 'jeff/a', 'jeff/b'],
        ]
    }

    def "several properties are set in one zfs set"() {
        when:
        zfs.set('jeff/apps', [(PropertyName.of('compression')): 'lz4', (PropertyName.zed('version')): '1.4.2'])

        then:
        runner.commands == [['zfs', 'set', 'com.zed:version=1.4.2', 'compression=lz4', 'jeff/apps']]
    }

    def "destroy refuses a pool's root dataset before running anything"() {
        when:
        zfs.destroy(DatasetName.of('jeff'), mode)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains("root dataset of pool 'jeff'")
        runner.commands.isEmpty()

        where:
        mode << DestroyMode.values()
    }

    def "destroy reaches only as far as asked: #mode"() {
        when:
        zfs.destroy(DatasetName.of('jeff/apps'), mode)

        then:
        runner.commands == [['zfs', 'destroy'] + flags + ['jeff/apps']]

        where:
        mode                             | flags
        DestroyMode.SINGLE               | []
        DestroyMode.RECURSIVE            | ['-r']
        DestroyMode.RECURSIVE_AND_CLONES | ['-R']
    }

    def "destroy without a mode is refused"() {
        when:
        zfs.destroy(DatasetName.of('jeff/apps'), null)

        then:
        thrown(NullPointerException)
        runner.commands.isEmpty()
    }

    def "rollback passes -r only when told to destroy newer snapshots"() {
        when:
        zfs.rollback(SnapshotName.of('jeff/a@s1'), false)
        zfs.rollback(SnapshotName.of('jeff/a@s1'), true)

        then:
        runner.commands == [['zfs', 'rollback', 'jeff/a@s1'], ['zfs', 'rollback', '-r', 'jeff/a@s1']]
    }

    def "names that are not valid never reach a command: #what"() {
        when:
        call(zfs)

        then:
        thrown(IllegalArgumentException)
        runner.commands.isEmpty()

        where:
        what                      | call
        'set on -o name'          | { ZfsCli z -> z.set('-omountpoint=/', [(PropertyName.of('atime')): 'off']) }
        'exists with semicolon'   | { ZfsCli z -> z.exists('jeff/a;b') }
        'read with a newline'     | { ZfsCli z -> z.properties(['jeff/a\nb'], [PropertyName.of('atime')]) }
        'read no properties'      | { ZfsCli z -> z.properties(['jeff/a'], []) }
        'create with space'       | { ZfsCli z -> z.create(DatasetName.read('jeff/a b'), [:], false) }
        'snapshot with space'     | { ZfsCli z -> z.snapshot([SnapshotName.read('jeff/a@my snap')], false, [:]) }
        'clone to space'          | { ZfsCli z -> z.clone(SnapshotName.of('jeff/a@s'), DatasetName.read('jeff/a b'), [:], false) }
        'rename to space'         | { ZfsCli z -> z.rename('jeff/a b', 'jeff/c d', false) }
        'bookmark with space'     | { ZfsCli z -> z.bookmark(SnapshotName.of('jeff/a@s'), BookmarkName.read('jeff/a#my mark')) }
        'release tag as option'   | { ZfsCli z -> z.release('-r', [SnapshotName.of('jeff/a@s')], false) }
        'inherit on bad snapshot' | { ZfsCli z -> z.inherit('jeff/a@', PropertyName.of('atime'), false, false) }
        'value with newline'      | { ZfsCli z -> z.set('jeff/a', [(PropertyName.zed('x')): 'a\nb']) }
        'create with bad value'   | { ZfsCli z -> z.create(DatasetName.of('jeff/a'), [(PropertyName.zed('x')): 'a\tb'], false) }
        'hold tag with space'     | { ZfsCli z -> z.hold('my tag', [SnapshotName.of('jeff/a@s')], false) }
        'hold tag as option'      | { ZfsCli z -> z.hold('-r', [SnapshotName.of('jeff/a@s')], false) }
        'bookmark elsewhere'      | { ZfsCli z -> z.bookmark(SnapshotName.of('jeff/a@s'), BookmarkName.of('jeff/b#m')) }
        'rename snapshot across'  | { ZfsCli z -> z.rename('jeff/a@s', 'jeff/b@s', false) }
        'rename pool root'        | { ZfsCli z -> z.rename('jeff', 'jeff/x', false) }
        'diff to bad name'        | { ZfsCli z -> z.diff(SnapshotName.of('jeff/a@s'), 'jeff/a\tb') }
    }

    def "send and receive build their flags from the request"() {
        when:
        zfs.startSend(SendRequest.full(SnapshotName.of('jeff/a@s2')).withReplicate()
                .incrementalFrom(SnapshotName.of('jeff/a@s1'), true)).close()
        zfs.startSend(SendRequest.full(SnapshotName.of('jeff/a@s2')).incrementalFrom(BookmarkName.of('jeff/a#b1'))).close()
        zfs.startReceive(ReceiveRequest.into(DatasetName.of('backup/a')).withForce().withResumable()).close()

        then:
        runner.commands == [
                ['zfs', 'send', '-R', '-I', 'jeff/a@s1', 'jeff/a@s2'],
                ['zfs', 'send', '-i', 'jeff/a#b1', 'jeff/a@s2'],
                ['zfs', 'receive', '-F', '-u', '-s', 'backup/a'],
        ]
    }

    def "a failing zfs keeps its stderr and exit code"() {
        given:
        runner.exit = 1
        runner.stderr = "cannot open 'jeff/nope': dataset does not exist\n"

        when:
        zfs.properties(DatasetName.of('jeff/nope'), false)

        then:
        def e = thrown(ZfsException.DatasetNotFoundException)
        e.exitCode() == 1
        e.stderr() == runner.stderr
        e.argv()[0..1] == ['zfs', 'get']
        e.message.startsWith("cannot open 'jeff/nope': dataset does not exist")
    }

    def "a host without zfs gets a clear message (#where)"() {
        when:
        new ZfsCli(r, zfsPath, {}).version()

        then:
        def e = thrown(ZfsException.ZfsToolsMissingException)
        e.message.startsWith('ZFS tools not found')
        e.message.contains('use scripts/lab for a local lab')

        where:
        where              | r                                               | zfsPath
        'local, no binary' | new LocalRunner()                               | 'zfs-not-installed-here'
        'remote, exit 127' | new RecordingRunner(exit: 127, stderr: 'sh: 1: zfs: not found\n') | 'zfs'
    }
}
