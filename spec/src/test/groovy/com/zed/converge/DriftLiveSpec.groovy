package com.zed.converge

import com.zed.beam.BeamRuntime
import com.zed.beam.ReleaseStore
import com.zed.dsl.DeployScripts
import com.zed.platform.LinuxSystemd
import com.zed.support.LabSpecification
import com.zed.support.ScratchDir
import com.zed.support.ZedProcess
import com.zed.zfs.DatasetName
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.time.Duration

/**
 * Everything an app declares converges, not only its version: an environment value, a rotated
 * secret (the cookie) and the distribution port are each planned as a readable change (secrets by
 * name only), applied behind the health gate, and healthy. A hand-edited env file on the target
 * is drift: zed status reports it, zed run repairs it.
 */
@Stepwise
class DriftLiveSpec extends LabSpecification {
    @Shared Path dist = Path.of(System.getProperty('zed.repo', '..'), 'target', 'dist').toAbsolutePath()
    @Shared Path work
    @Shared Map<String, String> secrets = [ZED_SPEC_COOKIE: 'drift-' + UUID.randomUUID()]
    @Shared int base
    @Shared String dsPath
    @Shared DatasetName app
    @Shared List<String> progress = []

    def setupSpec() {
        if (!Files.exists(dist.resolve('tiny/tiny-1.0.1.tar.gz'))) {
            def p = new ProcessBuilder(Path.of(System.getProperty('zed.repo', '..'), 'scripts/lab.d/build-test-releases').toString(),
                    dist.toString()).inheritIO().start()
            assert p.waitFor() == 0
        }
        base = 9100   // ports on the target's loopback: checks reach them through SSH
        dsPath = root.value().substring(root.value().indexOf('/') + 1) + '/tiny'
        app = pool.root().child(dsPath)
        work = ScratchDir.create('drift')
    }

    def cleanupSpec() {
        if (runner != null) {
            removeService('zed-tiny')
        }
        if (work != null) {
            ScratchDir.delete(work)
        }
    }

    String script(Map o = [:]) {
        int dist = o.distPort ?: base + 4
        """deploy('drift', pool: '${pool.value()}') {
    dataset('${dsPath}') { }
    app('tiny') {
        dataset '${dsPath}'
        version '1.0.1'
        nodeName 'tiny@127.0.0.1'
        cookie env('ZED_SPEC_COOKIE')
        distPort ${dist}
        environment 'TINY_HTTP_PORT', '${base + 5}'
        environment 'TINY_GREETING', '${o.greeting ?: 'hello'}'
        ${o.extra ?: ''}
        health beamPing(timeout: 3000)
        health http(url: 'http://127.0.0.1:${base + 5}/health', status: 200, timeout: 2000)
    }
    snapshots { keep 10 }
}
"""
    }

    Converger converger() {
        def runtime = new BeamRuntime(runner, new LinuxSystemd(runner), new ReleaseStore(dist),
                new BeamRuntime.Settings(Duration.ofSeconds(45), secrets), { progress << it })
        new Converger(zfs, Clock.systemUTC(), new Actor('spec', 'lab-host'), { progress << it }, { a -> runtime })
    }

    Plan plan(Map o = [:]) {
        converger().plan(DeployScripts.parse('drift.groovy', script(o)))
    }

    Converger.Result converge(Map o = [:]) {
        converger().converge(DeployScripts.parse('drift.groovy', script(o)), new Converger.Options('sha256:drift'))
    }

    List<String> reasons(Plan p) {
        p.steps().findAll { it instanceof Step.DeployApp }.collectMany { ((Step.DeployApp) it).reasons() }
    }

    def "the first deploy converges, and nothing is left to plan"() {
        expect:
        converge().outcome() == Converger.Outcome.APPLIED
        plan().isEmpty()
    }

    def "another deploy declaring an app of the same name is refused before any change: the unit is not taken over"() {
        given: 'deploy "other" wants app tiny on its own dataset; zed-tiny belongs to this one'
        String otherDs = dsPath + '-other'
        def text = script().replace("deploy('drift'", "deploy('other'").replace("'${dsPath}'", "'${otherDs}'")
        String unitBefore = runner.run(['cat', '/etc/systemd/system/zed-tiny.service']).stdout()

        when:
        converger().converge(DeployScripts.parse('other.groovy', text), new Converger.Options('sha256:other'))

        then:
        def e = thrown(AppRuntime.UnitConflictException)
        e.message.contains("the systemd unit zed-tiny on this host belongs to dataset ${app.value()}, not ${pool.root().child(otherDs).value()}")
        !zfs.exists(pool.root().child(otherDs).value())
        runner.run(['cat', '/etc/systemd/system/zed-tiny.service']).stdout() == unitBefore
        runner.run(['systemctl', 'is-active', 'zed-tiny.service']).stdout().trim() == 'active'
        plan().isEmpty()
    }

    def "an environment value, a rotated cookie and a distPort change are each planned as a readable line (the secret by name only), applied in one deploy, and healthy"() {
        given:
        String old = secrets.ZED_SPEC_COOKIE
        secrets.ZED_SPEC_COOKIE = 'drift-rotated-' + UUID.randomUUID()
        def changed = [greeting: 'bonjour', distPort: base + 6]

        when:
        def p = plan(changed)
        def why = reasons(p)

        then: 'one line per change, in a fixed order'
        why.size() == 3
        why[0] == 'environment TINY_GREETING hello → bonjour'
        why[1] == 'cookie (secret changed)'
        why[2].startsWith('unit zed-tiny differs from the generated one: ')
        why[2].contains("- ExecStart=\"/usr/bin/env\" \"ERL_AFLAGS=-kernel inet_dist_listen_min ${base + 4} inet_dist_listen_max ${base + 4}\"")
        why[2].contains("+ ExecStart=\"/usr/bin/env\" \"ERL_AFLAGS=-kernel inet_dist_listen_min ${base + 6} inet_dist_listen_max ${base + 6}\"")
        PlanFormat.text(p).contains('~ app tiny 1.0.1 (redeploy)')

        and: 'the secret itself, old or new, is nowhere in the plan'
        !PlanFormat.text(p).contains(secrets.ZED_SPEC_COOKIE)
        !PlanFormat.text(p).contains(old)
        !PlanFormat.json(p).toString().contains(secrets.ZED_SPEC_COOKIE)

        when: 'applied: beamPing with the new cookie, on the new port, is part of the health gate'
        def r = converge(changed)

        then:
        r.outcome() == Converger.Outcome.APPLIED
        progress.any { it.startsWith('tiny 1.0.1 healthy after') }
        !progress.join('\n').contains(secrets.ZED_SPEC_COOKIE)
        runner.run(['cat', '/etc/systemd/system/zed-tiny.service']).stdout().contains("inet_dist_listen_min ${base + 6}")
        runner.run(['cat', '/etc/zed/zed-tiny.env']).stdout().contains('TINY_GREETING="bonjour"')
        plan(changed).isEmpty()
    }

    def "a hand-edited env file is reported as drift by zed status and repaired by zed run"() {
        given: 'someone edits the env file on the host'
        def env = runner.run(['cat', '/etc/zed/zed-tiny.env']).stdout()
        assert runner.run(['tee', '/etc/zed/zed-tiny.env'], env.replace('TINY_GREETING="bonjour"', 'TINY_GREETING="hacked"')
                .getBytes('UTF-8')).ok()
        def f = work.resolve('drift.groovy')
        Files.writeString(f, script(greeting: 'bonjour', distPort: base + 6))

        when:
        def st = ZedProcess.run(secrets, 'status', '--lab', '--store', dist.toString(), f.toString())

        then:
        st.code == 0
        st.out.contains('DRIFT: environment TINY_GREETING hacked → bonjour')
        st.out.contains('1 step(s) pending')

        when:
        def run = ZedProcess.run(secrets, 'run', '--lab', '--store', dist.toString(), f.toString())

        then:
        run.code == 0
        runner.run(['cat', '/etc/zed/zed-tiny.env']).stdout().contains('TINY_GREETING="bonjour"')
        plan(greeting: 'bonjour', distPort: base + 6).isEmpty()
    }

    def "a hung pre-command times out, its unit is stopped, and the deploy rolls back"() {
        given:
        def o = [greeting: 'bonjour', distPort: base + 6,
                 extra: "preCommand 'eval', 'Process.sleep(:infinity)'; preCommandTimeout '5s'"]

        when:
        def r = converge(o)

        then:
        r.outcome() == Converger.Outcome.ROLLED_BACK
        r.error().get().contains("pre-command 'bin/tiny eval Process.sleep(:infinity)' timed out after 5 s")
        runner.run(['systemctl', 'is-active', 'zed-tiny-cmd.service']).stdout().trim() != 'active'
        plan(greeting: 'bonjour', distPort: base + 6).isEmpty()
    }

    def "a release that crashes 5 s after start passes its first checks but not the stability window: rolled back"() {
        given:
        def o = [greeting: 'bonjour', distPort: base + 6, extra: "environment 'TINY_CRASH_AFTER_MS', '5000'; stableFor '10s'"]

        when:
        def r = converge(o)

        then:
        r.outcome() == Converger.Outcome.ROLLED_BACK
        r.error().get().contains('tiny 1.0.1 is not healthy')
        plan(greeting: 'bonjour', distPort: base + 6).isEmpty()
        runner.run(['systemctl', 'is-active', 'zed-tiny.service']).stdout().trim() == 'active'
    }

    def "the same crash with no checks declared is caught by the service itself: it must stay up, unrestarted"() {
        given: 'no health checks: only the service, whose window opens at exec, before the BEAM has booted (10-20 s under TCG)'
        def text = script(greeting: 'bonjour', distPort: base + 6, extra: "environment 'TINY_CRASH_AFTER_MS', '5000'; stableFor '30s'")
                .readLines().findAll { !it.contains('health ') }.join('\n')

        when:
        def r = converger().converge(DeployScripts.parse('drift.groovy', text), new Converger.Options('sha256:drift'))

        then:
        r.outcome() == Converger.Outcome.ROLLED_BACK
        r.error().get().contains('tiny 1.0.1 is not healthy')
    }

    def "a release that passes its stability window but fails during the watch is rolled back (a redeploy of the running version: not ghosted)"() {
        given: 'healthy for 20 s, well past a 3 s window, then it halts; the watch lasts 45 s'
        def o = [greeting: 'bonjour', distPort: base + 6,
                 extra: "environment 'TINY_CRASH_AFTER_MS', '20000'; stableFor '3s'; watch '45s'"]

        when:
        def r = converge(o)

        then:
        r.outcome() == Converger.Outcome.ROLLED_BACK
        r.error().get().contains('during the watch')
        progress.any { it.startsWith('watching tiny 1.0.1 for 45 s') }
        runner.run(['systemctl', 'is-active', 'zed-tiny.service']).stdout().trim() == 'active'
        !zfs.properties(app, false).value(app.value(), 'com.zed:ghosted').isPresent()
        plan(greeting: 'bonjour', distPort: base + 6).isEmpty()
    }
}
