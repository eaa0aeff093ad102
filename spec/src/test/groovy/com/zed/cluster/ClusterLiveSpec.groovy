package com.zed.cluster

import com.zed.exec.SshRunner
import com.zed.exec.SshSettings
import com.zed.support.LabHosts
import com.zed.support.LabSpecification
import com.zed.support.ScratchDir
import com.zed.support.TargetHttp
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A four-host cluster for real: the lab's namespace hosts zh1..zh4 (each its own sshd, host key and
 * pool, reached through an SSH config alias with ProxyJump), the real test release on each, `zed run`
 * as its own process. Host 3 fails its health check (its env moves the app's HTTP port away from
 * the one checked); every host's final state is read back from ZFS and from the running release.
 *
 * The cases are chained: each starts where the last ended, so no deploy is spent on resetting. The
 * default tier runs a first deploy with zed killed mid-cluster and recovered, then three strategy ×
 * fallback pairs that between them use every strategy and every fallback once (one4all / rollback,
 * one4one / ignore, one4rest / stop), then a host cut off mid-run. ZED_CLUSTER=full runs all nine
 * pairs. ClusterRunSpec checks all nine (and in-flight hosts) against the coordinator in
 * milliseconds, and scripts/model-check the protocol.
 */
@Stepwise
class ClusterLiveSpec extends LabSpecification {
    @Shared Path dist = Path.of(System.getProperty('zed.repo', '..'), 'target', 'dist').toAbsolutePath()
    @Shared Path tmp
    @Shared String cookie = 'cluster-' + UUID.randomUUID()
    @Shared List<String> hosts = ['zh1', 'zh2', 'zh3', 'zh4']
    @Shared Map<String, SshRunner> runners = [:]
    @Shared String app = 'tiny'   // its units here are zed-tiny@zhK: apart from other specs' zed-tiny
    @Shared int httpPort = 9111
    @Shared Map<String, Long> timings = [:]

    def setupSpec() {
        tmp = ScratchDir.create('cluster-live')
        if (!Files.exists(dist.resolve('tiny/tiny-1.0.1.tar.gz'))) {
            def p = new ProcessBuilder(Path.of(System.getProperty('zed.repo', '..'), 'scripts/lab.d/build-test-releases').toString(),
                    dist.toString()).inheritIO().start()
            assert p.waitFor() == 0
        }
        LabHosts.up()
        hosts.each { h -> runners[h] = SshRunner.connect(h, settings()) }
    }

    def cleanupSpec() {
        new File('target/cluster-timings.txt').text = timings.collect { k, v -> "$k=$v" }.join('\n') + '\n'
        // a case that cut a host's sshd and failed before bringing it back must not stop the cleanup
        LabHosts.restart()
        runners.each { h, r ->
            try {
                removeService("zed-${app}@${h}".toString())
                if (r.run(['zfs', 'list', "$h/capps".toString()]).ok()) {
                    r.run(['zfs', 'destroy', '-r', "$h/capps".toString()])
                }
            } finally {
                r.close()
            }
        }
        if (tmp != null) {
            ScratchDir.delete(tmp)
        }
    }

    SshSettings settings() {
        LabHosts.settings()
    }

    /**
     * The cluster script: every host on its own pool; host 3 broken when asked. {@code mark} goes into
     * every host's environment (TINY_CASE), so each case changes every host, whatever version it is on.
     */
    Path script(String version, String strategy, String fallback, int parallel, boolean break3, String mark = '0',
                Map<Integer, String> hostMarks = [:]) {
        def hostLines = hosts.withIndex().collect { h, i ->
            def env = [:]
            if (break3 && i == 2) {
                env.TINY_HTTP_PORT = String.valueOf(httpPort + 1)
            }
            if (hostMarks[i + 1]) {
                env.TINY_CASE = hostMarks[i + 1]
            }
            def envText = env ? ', env: [' + env.collect { k, v -> "$k: '$v'" }.join(', ') + ']' : ''
            "        host 'h${i + 1}', ssh: '$h', pool: '$h'$envText"
        }.join('\n')
        def f = tmp.resolve("cluster-${System.nanoTime()}.groovy")
        f.toFile().text = """deploy('cluster', pool: 'jeff') {
    dataset('capps/${app}') { compression 'lz4' }
    app('${app}') {
        dataset 'capps/${app}'
        version '${version}'
        nodeName 'tiny@127.0.0.1'
        cookie env('ZED_SPEC_COOKIE')
        distPort 9110
        stableFor '1s'
        environment 'TINY_HTTP_IP', '127.0.0.1'
        environment 'TINY_HTTP_PORT', '${httpPort}'
        environment 'TINY_CASE', '${mark}'
        health beamPing(timeout: 3000)
        health http(url: 'http://127.0.0.1:${httpPort}/health', status: 200, timeout: 2000)
    }
    cluster('four') {
$hostLines
        strategy '$strategy'
        fallback '$fallback'
        parallel $parallel
    }
    snapshots { keep 3 }
}
"""
        f
    }

    List<String> zedArgs(Path script, String... more) {
        ['run', script.toString(), '--ssh-config', LabHosts.sshConfig().toString(), '--store', dist.toString(),
         '--health-timeout', '30', '--force'] + more.toList()
    }

    Map zed(Path script, String... more) {
        long t0 = System.nanoTime()
        def r = com.zed.support.ZedProcess.run([ZED_SPEC_COOKIE: cookie], *zedArgs(script, more))
        r.millis = (System.nanoTime() - t0).intdiv(1_000_000)
        r
    }

    /** Each host's version: what ZFS records, and what the running release answers (or 'down'). */
    List<String> versions() {
        hosts.collect { h ->
            def r = runners[h]
            def recorded = r.run(['zfs', 'get', '-Hpo', 'value', 'com.zed:version', "$h/capps/$app".toString()]).stdout().trim()
            String answer
            try {
                answer = TargetHttp.get(r.connector(), httpPort, '/version')
            } catch (IOException e) {
                answer = 'down'
            }
            answer == "200 $recorded".toString() ? recorded : "$recorded/$answer".toString()
        }
    }

    /**
     * Each host as "version#case": the version (as in {@link #versions}) and the TINY_CASE the running
     * release was started with, read from its process's environment.
     */
    List<String> states() {
        def vs = versions()
        hosts.withIndex().collect { h, i ->
            def r = runners[h]
            def pid = r.run(['systemctl', 'show', '-p', 'MainPID', '--value', "zed-${app}@${h}".toString()]).stdout().trim()
            def env = pid ==~ /[1-9][0-9]*/ ? r.run(['cat', "/proc/$pid/environ".toString()]).stdout() : ''
            def mark = env.split('\u0000').find { it.startsWith('TINY_CASE=') }?.substring('TINY_CASE='.length()) ?: '-'
            "${vs[i]}#${mark}".toString()
        }
    }

    List<String> outcomes(String out) {
        hosts.withIndex().collect { h, i ->
            def line = out.readLines().find { it =~ /^  h${i + 1}\s/ }
            line == null ? '?' : line.trim().split(/\s+/)[1]
        }
    }

    def "zed killed mid-cluster during a first deploy: the next run recovers the interrupted host and converges all four"() {
        given:
        def f = script('1.0.0', 'one4all', 'rollback', 1, false)

        when: 'SIGKILL while host 2 starts its release'
        def seen = killAt(f, '[h2] start zed-')

        then:
        seen.contains('[h2] start zed-')
        versions()[0] == '1.0.0'

        when:
        def r = zed(f)
        timings.first_after_crash = r.millis

        then:
        r.code == 0
        r.out.contains('[h2] recovered an interrupted')
        outcomes(r.out) == ['unchanged', 'updated', 'updated', 'updated']
        versions() == ['1.0.0'] * 4
        and: 'each app runs in its host\'s network namespace, under a unit of that host'
        runners.zh2.run(['systemctl', 'is-active', "zed-${app}@zh2".toString()]).stdout().trim() == 'active'
    }

    /** `zed run` on {@code f} as its own process, output and errors in one stream. */
    Process launch(Path f) {
        def pb = new ProcessBuilder(com.zed.support.ZedProcess.command(zedArgs(f))).redirectErrorStream(true)
        pb.environment().ZED_SPEC_COOKIE = cookie
        pb.start()
    }

    /** Runs zed on {@code f} as its own process and SIGKILLs it at the first output line containing {@code marker}. */
    String killAt(Path f, String marker) {
        def p = launch(f)
        def seen = new StringBuilder()
        def reader = new BufferedReader(new InputStreamReader(p.inputStream))
        String line
        while ((line = reader.readLine()) != null) {
            seen.append(line).append('\n')
            if (line.contains(marker)) {
                p.destroyForcibly()
                break
            }
        }
        p.waitFor(30, TimeUnit.SECONDS)
        seen.toString()
    }

    /**
     * strategy × fallback, in the order they run. Every case deploys the version host 1 is not on, with
     * host 3 broken and a new TINY_CASE everywhere; per host, N: ends on the new version and case,
     * O: keeps exactly what it ran before. The first three run by default, all nine with ZED_CLUSTER=full.
     */
    static final List<List<String>> MATRIX = [
            // strategy | fallback | outcomes h1..h4                      | ends
            ['one4all', 'rollback', 'rolled-back rolled-back failed skipped', 'O O O O'],
            ['one4one', 'ignore', 'updated updated failed updated', 'N N O N'],
            ['one4rest', 'stop', 'updated updated failed skipped', 'N N O O'],
            ['one4rest', 'rollback', 'updated updated failed skipped', 'N N O O'],
            ['one4one', 'rollback', 'updated updated failed updated', 'N N O N'],
            ['one4all', 'ignore', 'updated updated failed updated', 'N N O N'],
            ['one4rest', 'ignore', 'updated updated failed updated', 'N N O N'],
            ['one4all', 'stop', 'updated updated failed skipped', 'N N O O'],
            ['one4one', 'stop', 'updated updated failed skipped', 'N N O O'],
    ]

    static List<List<String>> cases() {
        System.getenv('ZED_CLUSTER') == 'full' ? MATRIX : MATRIX.take(3)
    }

    def "#strategy / #fallback: host 3 fails its health check; outcomes #expected, hosts end #ends"() {
        given: 'where every host is now'
        def before = states()
        def target = before[0].startsWith('1.0.0') ? '1.0.1' : '1.0.0'
        def mark = "${strategy}-${fallback}".toString()

        when:
        def r = zed(script(target, strategy, fallback, 1, true, mark))
        timings[mark] = r.millis

        then:
        r.code == 3
        outcomes(r.out) == expected.split(' ') as List
        states() == ends.split(' ').toList().withIndex().collect { e, i -> e == 'N' ? "${target}#${mark}".toString() : before[i] }

        where:
        [strategy, fallback, expected, ends] << cases()
    }

    def "a host unreachable mid-run counts as failed: its connection is cut while it converges"() {
        given: 'hosts 1 and 2 stay as they are; hosts 3 and 4 get a new TINY_CASE (one4one / ignore: 4 goes on after 3)'
        def before = states()
        def version = before[0].split('#')[0]
        def mark = before[0].split('#')[1]
        assert before[1] == before[0]
        def f = script(version, 'one4one', 'ignore', 1, false, mark, [3: 'cut', 4: 'cut'])
        def p = launch(f)
        def out = new StringBuilder()

        when: 'host 3\'s sshd and every session it holds die as host 3 stops its old release'
        def reader = new BufferedReader(new InputStreamReader(p.inputStream))
        String line
        boolean cut = false
        while ((line = reader.readLine()) != null) {
            out.append(line).append('\n')
            if (!cut && line.contains('[h3] stop zed-')) {
                runner.run(['sh', '-c', 'for p in $(ip netns pids zh3); do [ "$(cat /proc/$p/comm)" = sshd ] && kill -9 $p; done'])
                cut = true
            }
        }
        p.waitFor(60, TimeUnit.SECONDS)

        then: 'host 3 is lost (exit 1), host 4 was still converged'
        cut
        p.exitValue() == 1
        outcomes(out.toString()) == ['unchanged', 'unchanged', 'lost', 'updated']

        when: 'host 3 is back (a new sshd)'
        LabHosts.restart()
        runners.zh3.close()
        runners.zh3 = SshRunner.connect('zh3', settings())

        then: 'host 4 runs the new state'
        states()[3] == "${version}#cut".toString()

        when: 'the next run recovers host 3 first, then converges it'
        def r = zed(f)
        timings.after_cut = r.millis

        then:
        r.code == 0
        r.out.contains('[h3] recovered an interrupted')
        outcomes(r.out) == ['unchanged', 'unchanged', 'updated', 'unchanged']
        states() == [before[0], before[1], "${version}#cut".toString(), "${version}#cut".toString()]
    }
}
