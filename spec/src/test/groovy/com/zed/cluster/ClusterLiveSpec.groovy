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
 * the one checked); every host's final version is read back from ZFS and from the running release.
 * The default tier (about five minutes under TCG) runs a first deploy with zed killed mid-cluster and
 * recovered, then one4all / rollback; ZED_CLUSTER=full adds every other strategy and fallback, and a
 * host cut off mid-run (see docs/cluster.md for the table they check). ClusterRunSpec checks all nine
 * against the coordinator in milliseconds, and scripts/model-check the protocol.
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

    /** The cluster script: every host on its own pool; host 3 broken when asked. */
    Path script(String version, String strategy, String fallback, int parallel, boolean break3) {
        def hostLines = hosts.withIndex().collect { h, i ->
            def env = (break3 && i == 2) ? ", env: [TINY_HTTP_PORT: '${httpPort + 1}']" : ''
            "        host 'h${i + 1}', ssh: '$h', pool: '$h'$env"
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
         '--health-timeout', '40', '--force'] + more.toList()
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
        def cmd = [Path.of(System.getProperty('java.home'), 'bin', 'java').toString(), '-cp', System.getProperty('java.class.path'),
                   'com.zed.cli.Main'] + zedArgs(f)
        def pb = new ProcessBuilder(cmd).redirectErrorStream(true)
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

    def "one4all / rollback: host 3 fails, the two updated hosts are rolled back, host 4 never starts"() {
        when:
        def r = zed(script('1.0.1', 'one4all', 'rollback', 1, true))
        timings.one4all_rollback = r.millis

        then:
        r.code == 3
        outcomes(r.out) == ['rolled-back', 'rolled-back', 'failed', 'skipped']
        versions() == ['1.0.0'] * 4
    }

    @Requires({ System.getenv('ZED_CLUSTER') == 'full' })
    def "one4one / ignore: only host 3 stays behind"() {
        when:
        def r = zed(script('1.0.1', 'one4one', 'ignore', 1, true))
        timings.one4one_ignore = r.millis

        then:
        r.code == 3
        outcomes(r.out) == ['updated', 'updated', 'failed', 'updated']
        versions() == ['1.0.1', '1.0.1', '1.0.0', '1.0.1']
    }

    @Requires({ System.getenv('ZED_CLUSTER') == 'full' })
    def "one4rest / stop: the hosts before the failure keep the new state, the rest are not touched"() {
        when: 'back to 1.0.0, host 3 broken again (its env change is what fails now)'
        def r = zed(script('1.0.0', 'one4rest', 'stop', 1, true))
        timings.one4rest_stop = r.millis

        then:
        r.code == 3
        outcomes(r.out) == ['updated', 'updated', 'failed', 'skipped']
        versions() == ['1.0.0', '1.0.0', '1.0.0', '1.0.1']
    }

    @Requires({ System.getenv('ZED_CLUSTER') == 'full' })
    def "a host unreachable mid-run counts as failed: its connection is cut while it converges"() {
        given:
        def f = script(versions()[2] == '1.0.0' ? '1.0.1' : '1.0.0', 'one4one', 'ignore', 1, false)
        def target = f.toFile().text.find(/version '([0-9.]+)'/) { m, v -> v }
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

        then:
        cut
        p.exitValue() == 1
        outcomes(out.toString())[0..2] == ['updated', 'updated', 'lost']

        when: 'host 3 is back: the next run recovers it first, then converges it'
        LabHosts.restart()
        runners.zh3.close()
        runners.zh3 = SshRunner.connect('zh3', settings())
        def r = zed(f)

        then:
        r.code == 0
        versions() == [target] * 4
    }

    @Requires({ System.getenv('ZED_CLUSTER') == 'full' })
    def "ZED_CLUSTER=full: #strategy / #fallback from 1.0.0 everywhere, host 3 failing, ends #versions"() {
        given: 'every host on 1.0.0 again, healthy'
        def reset = zed(script('1.0.0', 'one4one', 'ignore', 4, false))
        assert reset.code == 0 && versions() == ['1.0.0'] * 4

        when:
        def r = zed(script('1.0.1', strategy, fallback, 1, true))
        timings["${strategy}_${fallback}".toString()] = r.millis

        then:
        r.code == 3
        outcomes(r.out) == outcomes.split(' ') as List
        versions() == versions.split(' ') as List

        where:
        strategy   | fallback   | outcomes                         | versions
        'one4rest' | 'rollback' | 'updated updated failed skipped' | '1.0.1 1.0.1 1.0.0 1.0.0'
        'one4one'  | 'rollback' | 'updated updated failed updated' | '1.0.1 1.0.1 1.0.0 1.0.1'
        'one4all'  | 'ignore'   | 'updated updated failed updated' | '1.0.1 1.0.1 1.0.0 1.0.1'
        'one4rest' | 'ignore'   | 'updated updated failed updated' | '1.0.1 1.0.1 1.0.0 1.0.1'
        'one4all'  | 'stop'     | 'updated updated failed skipped' | '1.0.1 1.0.1 1.0.0 1.0.0'
        'one4one'  | 'stop'     | 'updated updated failed skipped' | '1.0.1 1.0.1 1.0.0 1.0.0'
    }
}
