package com.zed.converge

import com.zed.support.LabSpecification
import com.zed.support.ScratchDir
import com.zed.support.ZedProcess
import com.zed.zfs.DatasetName
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path

/**
 * The crash matrix: a real `zed run` process upgrading the real test release is hurt between two
 * side effects — SIGKILL, SIGTERM, or its SSH connection cut — then the recovery path runs
 * (`zed recover`, or nothing for SIGTERM, which rolls back by itself). Every time the app must serve
 * exactly the version ZFS records, `current` must point at it, history must say how the deploy
 * ended, and no lock may remain. The tally goes to target/crash-matrix.txt.
 */
@Stepwise
class CrashMatrixLiveSpec extends LabSpecification {
    @Shared Path dist = Path.of(System.getProperty('zed.repo', '..'), 'target', 'dist').toAbsolutePath()
    @Shared Path work
    @Shared String cookie = 'crash-' + UUID.randomUUID()
    @Shared int distPort
    @Shared int httpPort
    @Shared DatasetName app
    @Shared String base
    @Shared Map<String, List<Integer>> tally = [:].withDefault { [0, 0] }
    @Shared String current = '1.0.0'

    /** Journal phases a fault lands in (`:ms` = that long after the phase begins, inside the step). */
    static final List<String> POINTS = ['snapshot', 'unpack tiny:400', 'pre-commands tiny', 'stop tiny', 'switch tiny',
                                        'start tiny', 'health tiny:1500', 'record tiny', 'verify', 'committed']

    /**
     * Which (kind, point) pairs run. ZED_CRASH=full: every kind at every point (30 runs, ~25 min on the
     * lab); =kill (the second ZFS version's tier): SIGKILL at four of the five points default leaves out
     * (snapshot, pre-commands, switch, committed); the fifth, start, is where ClusterLiveSpec, in the same
     * tier, kills zed while host 2 starts its release; so one CI run kills zed at all ten points. Default:
     * SIGKILL at the other five, SIGTERM during the switch and a connection cut during the start.
     */
    static List<List<String>> matrix() {
        switch (System.getenv('ZED_CRASH') ?: 'default') {
            case 'full': return [['kill', 'term', 'cut'], POINTS].combinations()
            case 'kill': return ['snapshot', 'pre-commands tiny', 'switch tiny', 'committed']
                    .collect { ['kill', it] }
            default: return ['unpack tiny:400', 'stop tiny', 'health tiny:1500', 'record tiny', 'verify']
                    .collect { ['kill', it] } + [['term', 'switch tiny'], ['cut', 'start tiny']]
        }
    }

    def setupSpec() {
        if (!Files.exists(dist.resolve('tiny/tiny-1.0.1.tar.gz'))) {
            def p = new ProcessBuilder(Path.of(System.getProperty('zed.repo', '..'), 'scripts/lab.d/build-test-releases').toString(),
                    dist.toString()).inheritIO().start()
            assert p.waitFor() == 0
        }
        distPort = 9102   // ports on the target's loopback: checks reach them through SSH
        httpPort = 9103
        base = root.value().substring(root.value().indexOf('/') + 1) + '/tiny'
        app = pool.root().child(base)
        work = ScratchDir.create('crash')
    }

    def cleanupSpec() {
        if (runner != null) {
            removeService('zed-tiny')
        }
        if (work != null) {
            ScratchDir.delete(work)
        }
        def lines = tally.collect { k, v -> "$k: recovered ${v[0]} / ${v[1]}" }
        new File('target/crash-matrix.txt').text = lines.join('\n') + '\n'
    }

    Path script(String version) {
        def f = work.resolve("crash-${version}.groovy")
        Files.writeString(f, """deploy('crash', pool: '${pool.value()}') {
    dataset('${base}') { }
    app('tiny') {
        dataset '${base}'
        version '${version}'
        nodeName 'tiny@127.0.0.1'
        cookie env('ZED_SPEC_COOKIE')
        distPort ${distPort}
        environment 'TINY_HTTP_PORT', '${httpPort}'
        environment 'TINY_MIGRATION_LOG', '/${pool.value()}/${base}/state/migrations.log'
        preCommand 'eval', 'Tiny.Migrate.run()'
        health http(url: 'http://127.0.0.1:${httpPort}/health', status: 200, timeout: 2000)
    }
    snapshots { keep 100 }
}
""")
        f
    }

    /** `zed <args>` as its own process (it must be killable), with the lab and the cookie. */
    Map zed(Map env = [:], String... args) {
        ZedProcess.run([ZED_SPEC_COOKIE: cookie] + env, args)
    }

    String recorded() {
        zfs.properties(app, false).value(app.value(), 'com.zed:version').orElse(null)
    }

    String linked() {
        runner.run(['readlink', mountpoint(app) + '/current']).stdout().trim()
    }

    /** What the running release says about itself, asked on the target's loopback through SSH. */
    String served() {
        for (int i = 0; i < 30; i++) {
            try {
                def r = com.zed.support.TargetHttp.get(runner.connector(), httpPort, '/version')
                if (r.startsWith('200 ')) {
                    return r.substring(4).trim()
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(1000)
        }
        null
    }

    def "the app runs 1.0.0 before the matrix starts"() {
        when:
        def r = zed([:], 'run', '--lab', '--store', dist.toString(), script('1.0.0').toString())

        then:
        r.code == 0
        recorded() == '1.0.0'
        served() == '1.0.0'
    }

    def "an upgrade hurt at '#point' by #kind ends, after the recovery path, entirely old or entirely new"() {
        given:
        String from = current
        String to = from == '1.0.0' ? '1.0.1' : '1.0.0'
        String key = "$kind"
        tally[key][1]++

        when: 'zed run is hurt at that point'
        def (phase, delay) = point.contains(':') ? point.split(':') as List : [point, null]
        def before = History.of(zfs, pool, 'crash')
        def hurt = zed([ZED_FAULT: delay ? "$phase:$kind:$delay" : "$phase:$kind"], 'run', '--lab', '--store', dist.toString(),
                script(to).toString())

        and: 'the recovery path runs: zed recover (SIGTERM already rolled back by itself)'
        def rec = zed([:], 'recover', '--lab', '--store', dist.toString(), script(to).toString())
        String v = recorded()

        then: 'the process did not just finish normally'
        hurt.code != 0 || point == 'committed' || hurt.out.contains('rolled back') || hurt.out.contains('Applied')

        and: 'whatever happened, the host is whole: one version, recorded, linked and served; no lock'
        rec.code == 0
        v in [from, to]
        linked() == "releases/$v"
        served() == v
        !zfs.exists(PoolLock.lockName(pool).value())

        and: 'a deploy that did not commit is undone; one that did is kept'
        if (point == 'committed') {
            assert v == to
        } else {
            assert v == from
        }

        and: 'history tells how the interrupted deploy ended (killed before its snapshot, it had touched nothing)'
        def after = History.of(zfs, pool, 'crash')
        if (kind != 'term' && phase == 'snapshot') {
            assert after == before
        } else {
            assert after.size() == before.size() + 1
            assert after.last().result() == (phase == 'committed' ? 'ok' : kind == 'term' ? 'rolled-back' : 'interrupted')
        }

        cleanup:
        if (recorded() != null && recorded() == (point == 'committed' ? to : from) && served() == recorded()
                && !zfs.exists(PoolLock.lockName(pool).value())) {
            tally[key][0]++
        }
        current = recorded() ?: current

        where:
        [kind, point] << matrix()
    }

    def "after the matrix, a plain run converges again and changes nothing more"() {
        when:
        def r1 = zed([:], 'run', '--lab', '--store', dist.toString(), script('1.0.1').toString())
        def r2 = zed([:], 'run', '--lab', '--store', dist.toString(), script('1.0.1').toString())

        then:
        r1.code == 0
        r2.code == 0
        r2.out.contains('No changes')
        served() == '1.0.1'
    }
}
