package com.zed.beam

import com.zed.converge.Actor
import com.zed.converge.Converger
import com.zed.converge.ZedProperties
import com.zed.dsl.DeployScripts
import com.zed.platform.LinuxSystemd
import com.zed.support.LabSpecification
import com.zed.zfs.DatasetName
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.time.Duration

/**
 * A real Elixir release (scripts/lab.d/build-test-releases: tiny 1.0.0, 1.0.1, broken 1.0.2)
 * deployed into a dataset in the lab VM, run by systemd, health-checked over Erlang distribution
 * (JInterface) and HTTP from the target's side: through the SSH session, the lab forwards no app port.
 */
@Stepwise
class BeamDeployLiveSpec extends LabSpecification {
    @Shared Path dist = Path.of(System.getProperty('zed.repo', '..'), 'target', 'dist').toAbsolutePath()
    @Shared String cookie = System.getenv('ZED_SPEC_COOKIE') ?: 'spec-' + UUID.randomUUID()
    @Shared int distPort
    @Shared int httpPort
    @Shared String base
    @Shared DatasetName app
    @Shared List<String> progress = []
    @Shared Map<String, Long> timings = [:]

    def setupSpec() {
        if (!Files.exists(dist.resolve('tiny/tiny-1.0.2.tar.gz'))) {
            def p = new ProcessBuilder(Path.of(System.getProperty('zed.repo', '..'), 'scripts/lab.d/build-test-releases').toString(),
                    dist.toString()).inheritIO().start()
            assert p.waitFor() == 0
        }
        // Ports inside the VM: nothing is forwarded, the checks connect through SSH.
        distPort = 9100
        httpPort = 9101
        base = root.value().substring(root.value().indexOf('/') + 1) + '/tiny'
        app = pool.root().child(base)
    }

    def cleanupSpec() {
        if (runner != null) {
            removeService('zed-tiny')
        }
        new File('target/beam-timings.txt').text = timings.collect { k, v -> "$k=$v" }.join('\n') + '\n'
    }

    String script(String version, Map<String, String> extraEnv = [:]) {
        def extra = extraEnv.collect { k, v -> "        environment '$k', '$v'" }.join('\n')
        """deploy('beam', pool: '${pool.value()}') {
    dataset('${base}') { }
    app('tiny') {
        dataset '${base}'
        version '${version}'
        nodeName 'tiny@127.0.0.1'
        cookie env('ZED_SPEC_COOKIE')
        distPort ${distPort}
        environment 'TINY_HTTP_PORT', '${httpPort}'
        environment 'TINY_MIGRATION_LOG', '/${pool.value()}/${base}/state/migrations.log'
${extra}
        preCommand 'eval', 'Tiny.Migrate.run()'
        health beamPing(timeout: 3000)
        health rpc(module: 'Elixir.Tiny', function: 'health', args: [], expect: 'ok', timeout: 3000)
        health http(url: 'http://127.0.0.1:${httpPort}/health', status: 200, timeout: 2000)
    }
    snapshots { keep 5 }
}
"""
    }

    Converger.Result deploy(String version, boolean force = false, Map<String, String> extraEnv = [:]) {
        def d = DeployScripts.parse('beam.groovy', script(version, extraEnv))
        def runtime = new BeamRuntime(runner, new LinuxSystemd(runner), new ReleaseStore(dist),
                new BeamRuntime.Settings(Duration.ofSeconds(45), [ZED_SPEC_COOKIE: cookie]),
                { progress << it })
        new Converger(zfs, Clock.systemUTC(), new Actor('spec', 'lab-host'), { progress << it }, { a -> runtime })
                .converge(d, new Converger.Options('sha256:beam', force))
    }

    /** "STATUS BODY" of a GET on the guest's loopback, through SSH. */
    String http(String path) {
        com.zed.support.TargetHttp.get(runner.connector(), httpPort, path)
    }

    String current() {
        runner.run(['readlink', mountpoint(app) + '/current']).stdout().trim()
    }

    Map state() {
        state(app)
    }

    String files() {
        runner.run(['find', mountpoint(app), '-maxdepth', '2', '-printf', '%y %p %l\\n']).stdout().readLines().sort().join('\n')
    }

    def "a first deploy unpacks 1.0.0, runs its migration, starts it under systemd and finds it healthy"() {
        when:
        long t0 = System.nanoTime()
        def r = deploy('1.0.0')
        timings.first_deploy_ms = (System.nanoTime() - t0).intdiv(1_000_000)

        then:
        r.outcome() == Converger.Outcome.APPLIED
        current() == 'releases/1.0.0'
        http('/version') == '200 1.0.0'
        zfs.properties(app, false).value(app.value(), 'com.zed:version').get() == '1.0.0'
        runner.run(['cat', "/${pool.value()}/${base}/state/migrations.log".toString()]).stdout().readLines().size() == 1
        new LinuxSystemd(runner).status('zed-tiny').active()
        progress.any { it.startsWith('tiny 1.0.0 healthy after') }
    }

    def "an upgrade to 1.0.1 switches current and the new node answers"() {
        when:
        long t0 = System.nanoTime()
        def r = deploy('1.0.1')
        timings.upgrade_to_healthy_ms = (System.nanoTime() - t0).intdiv(1_000_000)

        then:
        r.outcome() == Converger.Outcome.APPLIED
        current() == 'releases/1.0.1'
        http('/version') == '200 1.0.1'
        http('/health').startsWith('200')
        zfs.properties(app, false).value(app.value(), 'com.zed:version').get() == '1.0.1'
    }

    def "the broken 1.0.2 fails its health check and is rolled back automatically: 1.0.1 runs, the host is as before"() {
        given:
        def before = state()
        def filesBefore = files()

        when:
        long t0 = System.nanoTime()
        def r = deploy('1.0.2')
        timings.automatic_rollback_ms = (System.nanoTime() - t0).intdiv(1_000_000)

        then: 'rolled back, with the reason'
        r.outcome() == Converger.Outcome.ROLLED_BACK
        r.error().get().contains('tiny 1.0.2 is not healthy')

        and: 'the previous release is back on current and serving'
        current() == 'releases/1.0.1'
        http('/version') == '200 1.0.1'
        new LinuxSystemd(runner).status('zed-tiny').active()

        and: 'files, symlink and properties are exactly as before; 1.0.2 is ghosted'
        files() == filesBefore
        state() == before
        zfs.properties(app, false).value(app.value(), 'com.zed:ghosted').get() == '1.0.2'
    }

    def "a ghosted version is not deployed again without --force, and nothing is touched"() {
        given:
        def snaps = zfs.snapshots(app, false)*.name()

        when:
        deploy('1.0.2')

        then:
        def e = thrown(Converger.GhostedVersionException)
        e.message.contains('--force')
        zfs.snapshots(app, false)*.name() == snaps
        http('/version') == '200 1.0.1'
    }

    def "a release that is missing from the store stops the run before anything changes"() {
        given:
        def snaps = zfs.snapshots(app, false)*.name()
        def before = state()

        when:
        deploy('9.9.9')

        then:
        def e = thrown(ReleaseException)
        e.message.contains('tiny 9.9.9')
        zfs.snapshots(app, false)*.name() == snaps
        state() == before
        http('/version') == '200 1.0.1'
    }

    def "a failing pre-command aborts the deploy with nothing switched"() {
        given:
        def filesBefore = files()

        when:
        def r = deploy('1.0.0', false, [TINY_MIGRATION_FAIL: '1'])

        then:
        r.outcome() == Converger.Outcome.ROLLED_BACK
        r.error().get().contains("pre-command 'bin/tiny eval Tiny.Migrate.run()' failed")
        current() == 'releases/1.0.1'
        files() == filesBefore
        http('/version') == '200 1.0.1'
    }

    def "a release that hard-codes its own cookie still runs with the declared one: the credential wins"() {
        when: 'the release sets RELEASE_COOKIE itself (as one hard-coded in its env.sh would)'
        def r = deploy('1.0.0', false, [TINY_OWN_COOKIE: 'not-the-declared-cookie'])

        then: 'the node reads $HOME/.erlang.cookie (two -setcookie options count as none): beamPing and rpc pass with the declared cookie'
        r.outcome() == Converger.Outcome.APPLIED
        current() == 'releases/1.0.0'
        http('/version') == '200 1.0.0'

        and: 'the declared cookie is in no command line on the target'
        !runner.run(['ps', '-eo', 'args']).stdout().contains(cookie)

        when: 'back to 1.0.1 for the features that follow'
        def back = deploy('1.0.1', true)

        then:
        back.outcome() == Converger.Outcome.APPLIED
        http('/version') == '200 1.0.1'
    }

    Path scriptFile(String version) {
        def f = Files.createTempFile('beam', '.groovy')
        Files.writeString(f, script(version))
        f
    }

    def "zed status shows the app's service, uptime, restarts, health and the ghosted version"() {
        when:
        def r = com.zed.cli.CliSpec.run('status', '--lab', '--store', dist.toString(), scriptFile('1.0.1').toString())

        then:
        r.code == 0
        r.out.contains('app tiny: service zed-tiny active since')
        r.out.contains('healthy')
        !r.out.contains('NOT healthy')
        r.out.contains('ghosted (failed health, not redeployed without --force): 1.0.2')
    }

    def "zed rollback stops the app, restores the previous release and starts it again"() {
        when: 'the newest successful deploy is 1.0.0 → 1.0.1; the rolled-back 1.0.2 attempt is newer'
        def r = com.zed.cli.CliSpec.run('rollback', '--lab', '--store', dist.toString(), '--destroy-newer',
                scriptFile('1.0.1').toString())

        then:
        r.code == 0
        current() == 'releases/1.0.0'
        http('/version') == '200 1.0.0'
        zfs.properties(app, false).value(app.value(), 'com.zed:version').get() == '1.0.0'
        new LinuxSystemd(runner).status('zed-tiny').active()
    }

    def "the cookie never reaches ZFS properties, snapshot names, plans or progress output; the service survives a reboot"() {
        when:
        def props = runner.run(['zfs', 'get', '-H', '-r', 'all', pool.root().child(base.split('/')[0]).value()]).stdout()
        def snaps = runner.run(['zfs', 'list', '-H', '-t', 'snapshot', '-o', 'name', '-r', app.value()]).stdout()
        def unit = runner.run(['cat', '/etc/systemd/system/zed-tiny.service']).stdout()
        def envFile = runner.run(['stat', '-c', '%a %U', '/etc/zed/zed-tiny.env']).stdout().trim()
        def enabled = runner.run(['systemctl', 'is-enabled', 'zed-tiny.service']).stdout().trim()

        then:
        !props.contains(cookie)
        !snaps.contains(cookie)
        !unit.contains(cookie)
        !progress.join('\n').contains(cookie)
        envFile == '600 root'
        enabled == 'enabled'
    }
}
