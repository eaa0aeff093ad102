package com.zed.cli

import com.fasterxml.jackson.databind.ObjectMapper
import com.zed.support.LabSpecification
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path

/**
 * The front door: deploy scripts on disk, `zed` subcommands with --lab, exit codes and output —
 * the operator's workflow from first run to rollback, in order.
 */
@Stepwise
class CliLiveSpec extends LabSpecification {
    @Shared Path dir = com.zed.support.ScratchDir.create('cli')
    @Shared String base

    def setupSpec() {
        base = root.value().substring(root.value().indexOf('/') + 1)
    }

    def cleanupSpec() {
        com.zed.support.ScratchDir.delete(dir)
    }

    Path script(String version, String compression = 'lz4', String quota = 'none', boolean recordOnly = true) {
        def f = dir.resolve('shop.groovy')
        Files.writeString(f, """\
            deploy('shop', pool: '${pool.value()}') {
                dataset('${base}/shop') { compression '${compression}'; quota '${quota}' }
                dataset('${base}/shop/db') { recordsize '16K' }
                app('web') {
                    dataset '${base}/shop'
                    version '${version}'
                    nodeName 'web@127.0.0.1'
                    cookie env('ZED_SPEC_COOKIE')
                    ${recordOnly ? 'recordOnly true' : ''}
                }
                snapshots { beforeDeploy true; keep 3 }
            }
            """.stripIndent())
        f
    }

    /** Every non-volatile property under the deploy's top dataset, value and source. */
    Map state() {
        state(pool.root().child("${base}/shop"))
    }

    Map zed(String... args) {
        CliSpec.run(args)
    }

    def "an app whose release is in no store is refused before anything changes, naming the path tried"() {
        when:
        def r = zed('run', '--lab', script('1.0.0', 'lz4', 'none', false).toString())

        then:
        r.code == 1
        r.err.contains("web 1.0.0: release tarball ${dir.resolve('dist/web/web-1.0.0.tar.gz')} does not exist")
        !zfs.exists(pool.root().child("${base}/shop").value())
        !zfs.exists(com.zed.converge.PoolLock.lockName(pool).value())
    }

    def "a record-only app is planned and shown as such"() {
        when:
        def r = zed('diff', '--lab', script('1.0.0').toString())

        then:
        r.code == 0
        r.out.contains("+ app web 1.0.0 on ${pool.value()}/${base}/shop (record only: no release is deployed)")
    }

    def "validate accepts the script without touching a host"() {
        when:
        def r = zed('validate', script('1.0.0').toString())

        then:
        r.code == 0
        r.out.contains("valid — deploy 'shop'")
    }

    def "diff on an empty pool shows what run would create, and exits 2 with --detailed-exitcode"() {
        when:
        def r = zed('diff', '--lab', '--detailed-exitcode', script('1.0.0').toString())

        then:
        r.code == Main.CHANGES
        r.out.contains("+ dataset ${pool.value()}/${base}/shop\n")
        r.out.contains('+ app web 1.0.0')
    }

    def "run converges it; a second run reports no changes"() {
        when:
        def first = zed('run', '--lab', script('1.0.0').toString())
        def second = zed('run', '--lab', '--json', script('1.0.0').toString())
        def json = new ObjectMapper().readValue(second.out as String, Map)

        then:
        first.code == 0
        first.out.contains('Applied in')
        second.code == 0
        json.outcome == 'no_changes'
        json.plan.changes == false

        and:
        zed('diff', '--lab', '--detailed-exitcode', script('1.0.0').toString()).code == 0
    }

    def "a version bump and a property change show as ~ in diff and apply with a rollback point"() {
        when:
        def d = zed('diff', '--lab', script('1.0.1', 'zstd').toString())
        def r = zed('run', '--lab', script('1.0.1', 'zstd').toString())

        then:
        d.out.contains('~ compression = lz4 → zstd')
        d.out.contains('~ app web 1.0.0 → 1.0.1')
        r.code == 0
        r.out.contains('rollback point @zed-shop-')
    }

    def "a failing apply exits 3 and leaves the host as it was"() {
        given: 'data the quota cannot hold'
        def mnt = mountpoint(pool.root().child("${base}/shop"))
        assert runner.run(['dd', 'if=/dev/urandom', "of=$mnt/blob".toString(), 'bs=1M', 'count=2']).ok()
        def before = state()

        when:
        def r = zed('run', '--lab', script('1.0.2', 'zstd', '1M').toString())

        then:
        r.code == Main.ROLLED_BACK
        r.err.contains('FAILED')
        r.err.contains('Rolled back')
        state() == before
    }

    def "history lists the deploys from the snapshots, status shows what runs"() {
        when:
        def h = zed('history', '--lab', script('1.0.1').toString())
        def s = zed('status', '--lab', script('1.0.1', 'zstd').toString())

        then:
        h.code == 0
        h.out.readLines().size() == 2
        h.out.readLines()[0].startsWith('ok')
        h.out.contains('web 1.0.0→1.0.1')
        h.out.readLines()[1].startsWith('rolled-back')
        s.code == 0
        s.out.contains("deploy 'shop'")
        s.out.contains('converged')
        s.out.contains('web 1.0.1')
    }

    def "rollback returns to before the last successful deploy, destroying newer snapshots only when told"() {
        when: "the rolled-back deploy's snapshot is newer than the target"
        def refused = zed('rollback', '--lab', script('1.0.1').toString())

        then:
        refused.code == Main.ERROR
        refused.err.contains('--destroy-newer')

        when:
        def r = zed('rollback', '--lab', '--destroy-newer', script('1.0.1').toString())
        def d = zed('diff', '--lab', script('1.0.0').toString())

        then:
        r.code == 0
        r.out.contains('Rolled back 1 dataset(s)')
        d.out.startsWith('No changes')
    }

    def "the secret reference never leaves the script: not in output, properties or snapshot names"() {
        when:
        def everything = runner.run(['zfs', 'get', '-H', '-r', 'all', "${pool.value()}/${base}".toString()]).stdout() +
                runner.run(['zfs', 'list', '-H', '-t', 'all', '-r', "${pool.value()}/${base}".toString()]).stdout()

        then:
        !everything.contains('ZED_SPEC_COOKIE')
        !everything.toLowerCase().contains('cookie')
    }

    def "a bad script is refused with file:line:col before any host is touched"() {
        given:
        def bad = dir.resolve('bad.groovy')
        Files.writeString(bad, "deploy('shop', pool: '${pool.value()}') {\n    dataset('x') { compresion 'lz4' }\n}\n")

        when:
        def r = zed('run', '--lab', bad.toString())

        then:
        r.code == Main.ERROR
        r.err.contains("bad.groovy:2:")
        r.err.contains('nothing was run')
        !r.err.contains('Exception')
    }
}
