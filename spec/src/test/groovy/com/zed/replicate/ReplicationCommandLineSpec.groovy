package com.zed.replicate

import com.zed.support.RecordingRunner
import com.zed.zfs.BookmarkName
import com.zed.zfs.DatasetName
import com.zed.zfs.SendRequest
import com.zed.zfs.SnapshotName
import com.zed.zfs.ZfsCli
import com.zed.zfs.ZfsParseException
import spock.lang.Specification

/** The zfs commands replication adds (send -t, send -nP, receive -A), and estimates read from recorded OpenZFS 2.3 output. */
class ReplicationCommandLineSpec extends Specification {
    def runner = new RecordingRunner()
    def zfs = new ZfsCli(runner)

    // recorded on the lab VM, OpenZFS 2.3.2
    static final String FULL = 'full\tjeff/rec@a\t310240\nsize\t310240\n'
    static final String INC = 'incremental\ta\tjeff/rec@b\t164648\nsize\t164648\n'
    static final String BOOKMARK = 'incremental\tjeff/rec#a\tjeff/rec@b\t164648\nsize\t164648\n'
    static final String RESUME = '''resume token contents:
nvlist version: 0
\tfromguid = 0x3f7fa632564755f5
\tobject = 0x3
\toffset = 0x0
\tbytes = 0x8b0
\ttoguid = 0xa2d68d078136bf1
\ttoname = jeff/rec@b
incremental\tjeff/rec@a\tjeff/rec@b\t162424
size\t162424
'''

    def "an estimate is zfs send -n -P with the request's flags; the size line is the answer (#what)"() {
        given:
        runner.stdout = out

        when:
        long n = zfs.estimateSend(request)

        then:
        n == size
        runner.commands == [argv]

        where:
        what       | out      | request                                                                                                                || size   | argv
        'full'     | FULL     | SendRequest.full(SnapshotName.of('jeff/rec@a'))                                                                        || 310240 | ['zfs', 'send', '-n', '-P', 'jeff/rec@a']
        '-I and -p'| INC      | SendRequest.full(SnapshotName.of('jeff/rec@b')).withProperties().incrementalFrom(SnapshotName.of('jeff/rec@a'), true) || 164648 | ['zfs', 'send', '-n', '-P', '-p', '-I', 'jeff/rec@a', 'jeff/rec@b']
        'bookmark' | BOOKMARK | SendRequest.full(SnapshotName.of('jeff/rec@b')).incrementalFrom(BookmarkName.of('jeff/rec#a'))                        || 164648 | ['zfs', 'send', '-n', '-P', '-i', 'jeff/rec#a', 'jeff/rec@b']
    }

    def "a resumed stream: send -t TOKEN, its estimate, and receive -A to give a partial receive up"() {
        given:
        runner.stdout = RESUME

        when:
        long n = zfs.estimateResumeSend('1-c26e93183-e0-789c6360')
        zfs.startResumeSend('1-c26e93183-e0-789c6360').close()
        zfs.abortReceive(DatasetName.of('backup/rec'))

        then:
        n == 162424
        runner.commands == [['zfs', 'send', '-n', '-P', '-t', '1-c26e93183-e0-789c6360'],
                            ['zfs', 'send', '-t', '1-c26e93183-e0-789c6360'],
                            ['zfs', 'receive', '-A', 'backup/rec']]
    }

    def "a token that is not one never reaches argv: #token"() {
        when:
        zfs.startResumeSend(token)

        then:
        thrown(IllegalArgumentException)
        runner.commands.isEmpty()

        where:
        token << ['', '-R', '1-ab cd', "1-ab\ncd", null]
    }

    def "output without a size line is a parse error, not a zero"() {
        given:
        runner.stdout = 'full\tjeff/rec@a\n'

        when:
        zfs.estimateSend(SendRequest.full(SnapshotName.of('jeff/rec@a')))

        then:
        thrown(ZfsParseException)
    }

    def "the hold tag names the target and keeps to the characters a hold tag may have"() {
        expect:
        new ReplicationJob(DatasetName.of('jeff/a'), DatasetName.of(ds), label, false, false, false, OptionalInt.empty()).holdTag() == tag

        where:
        label                  | ds             || tag
        'lab'                  | 'backup/a'     || 'zed-repl:lab:backup_a'
        'root@10.0.0.2:2222'   | 'tank/dr/a'    || 'zed-repl:root_10.0.0.2:2222:tank_dr_a'
    }

    def "keep below 1 is refused by the job itself"() {
        when:
        new ReplicationJob(DatasetName.of('jeff/a'), DatasetName.of('backup/a'), 'lab', false, false, false, OptionalInt.of(0))

        then:
        thrown(IllegalArgumentException)
    }
}
