package com.zed.cli

import com.zed.support.LabSpecification
import com.zed.support.ScratchDir
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path

/**
 * What ZFS accepts and Zed would not create must never break reading: datasets and snapshots with
 * spaces in their names, and property values with tabs and newlines, made by someone else on the
 * deploy's own datasets and beside them. zed diff, run, status and history all work.
 */
@Stepwise
class ForeignNamesLiveSpec extends LabSpecification {
    static final String NOTE = 'a\ttab\nand a newline'
    @Shared Path dir = ScratchDir.create('foreign')
    @Shared String base

    /** zfs with arguments from stdin (xargs -0 in the VM): a newline cannot pass through the remote shell. */
    void zfsRaw(List<String> args) {
        def r = runner.run(['xargs', '-0', 'zfs'], args.collect { it + '\u0000' }.join('').getBytes('UTF-8'))
        assert r.ok(), r.stderr()
    }

    def setupSpec() {
        base = root.value().substring(root.value().indexOf('/') + 1)
        zfsRaw(['create', '-o', "com.example:note=$NOTE".toString(), "${root.value()}/app".toString()])
        zfsRaw(['snapshot', '-o', "com.example:why=before\nthe deploy".toString(), "${root.value()}/app@an operator snap".toString()])
        zfsRaw(['create', "${root.value()}/my data".toString()])
        zfsRaw(['snapshot', "${root.value()}/my data@nightly 1".toString()])
    }

    def cleanupSpec() {
        ScratchDir.delete(dir)
    }

    Path script(String version) {
        def f = dir.resolve('foreign.groovy')
        Files.writeString(f, """\
            deploy('foreign', pool: '${pool.value()}') {
                dataset('${base}/app') { compression 'lz4' }
                app('web') { dataset '${base}/app'; version '${version}'; recordOnly true }
                snapshots { keep 3 }
            }
            """.stripIndent())
        f
    }

    def "diff plans the change on a dataset whose neighbours and snapshots have spaces, and whose values have tabs and newlines"() {
        when:
        def r = CliSpec.run('diff', '--lab', script('1.0.0').toString())

        then:
        r.code == 0
        r.out.contains("~ dataset ${pool.value()}/${base}/app")
        r.out.contains('+ app web 1.0.0')
    }

    def "run applies it, takes its snapshot beside the operator's, and a second run changes nothing"() {
        when:
        def first = CliSpec.run('run', '--lab', script('1.0.0').toString())
        def again = CliSpec.run('run', '--lab', script('1.0.0').toString())

        then:
        first.code == 0
        again.code == 0
        again.out.contains('No changes')
        zfs.properties("${root.value()}/app".toString(), [com.zed.zfs.PropertyName.of('com.example:note')])
                .value("${root.value()}/app".toString(), 'com.example:note').get() == NOTE
    }

    def "an upgrade snapshots and records; status and history read the pool with the foreign snapshots in it"() {
        when:
        def run = CliSpec.run('run', '--lab', script('1.0.1').toString())
        def status = CliSpec.run('status', '--lab', script('1.0.1').toString())
        def history = CliSpec.run('history', '--lab', script('1.0.1').toString())

        then:
        run.code == 0
        status.code == 0
        status.out.contains('web 1.0.1 (record only)')
        status.out.contains('converged')
        history.code == 0
        history.out.readLines().findAll { it.startsWith('ok') }.size() == 2   // 1.0.0 on the existing dataset, then 1.0.1
        !history.out.contains("operator's snap")
        zfs.exists("${root.value()}/app@an operator snap".toString())
    }
}
