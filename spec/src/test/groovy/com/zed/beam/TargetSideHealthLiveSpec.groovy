package com.zed.beam

import com.zed.cli.Lab
import com.zed.exec.CommandTimeoutException
import com.zed.exec.Connector
import com.zed.exec.Timeouts
import com.zed.model.AppSpec
import com.zed.model.HealthCheckSpec
import com.zed.model.SecretRef
import com.zed.model.SourcePos
import com.zed.platform.LinuxSystemd
import com.zed.secret.Secret
import com.zed.support.LabSpecification
import com.zed.support.TargetHttp
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.ThreadLocalRandom

/**
 * Health checks from the target's side, on the lab VM, which forwards no port but SSH: the test
 * release tiny runs under a unit of its own with its HTTP listener bound to the guest's 127.0.0.1
 * only, and http, tcp, beamPing and rpc reach it through direct-tcpip channels on the SSH session.
 */
class TargetSideHealthLiveSpec extends LabSpecification {
    static final Duration T = Duration.ofSeconds(5)

    @Shared Path dist = Path.of(System.getProperty('zed.repo', '..'), 'target', 'dist').toAbsolutePath()
    @Shared String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL)
    @Shared String unit = "zed-healthspec-$tag"
    @Shared String dir = "/tmp/zed-healthspec-$tag"
    @Shared String envFile = "/run/zed-healthspec-${tag}.env"
    @Shared String node = "hs$tag@127.0.0.1"
    @Shared String cookie = 'spec-' + UUID.randomUUID()
    @Shared int httpPort = 20000 + ThreadLocalRandom.current().nextInt(20000)
    @Shared int distPort = httpPort + 1
    @Shared int silentPort = httpPort + 2
    @Shared Connector connector

    def setupSpec() {
        if (!Files.exists(dist.resolve('tiny/tiny-1.0.1.tar.gz'))) {
            def p = new ProcessBuilder(Path.of(System.getProperty('zed.repo', '..'), 'scripts/lab.d/build-test-releases').toString(),
                    dist.toString()).inheritIO().start()
            assert p.waitFor() == 0
        }
        connector = runner.connector()
        assert runner.run(['mkdir', '-p', dir]).ok()
        Files.newInputStream(dist.resolve('tiny/tiny-1.0.1.tar.gz')).withCloseable { InputStream tgz ->
            def r = runner.run(['tar', '-xzf', '-', '-C', dir], tgz, Timeouts.Kind.UNPACK)
            assert r.ok(), r.stderr()
        }
        // The cookie goes into a root-only file through stdin: never into argv, output or the unit.
        assert runner.run(['install', '-m', '600', '/dev/null', envFile]).ok()
        def env = """RELEASE_NODE=$node
RELEASE_DISTRIBUTION=name
RELEASE_COOKIE=$cookie
TINY_HTTP_IP=127.0.0.1
TINY_HTTP_PORT=$httpPort
TINY_DIST_PORT=$distPort
"""
        assert runner.run(['dd', "of=$envFile".toString(), 'status=none'], env.bytes).ok()
        write("/run/systemd/system/${unit}.service", """[Unit]
Description=Zed health spec: tiny on the guest's loopback
[Service]
EnvironmentFile=$envFile
ExecStart=$dir/bin/tiny start
Restart=on-failure
RestartSec=1
""")
        assert runner.run(['systemctl', 'daemon-reload']).ok()
        assert runner.run(['systemctl', 'start', "${unit}.service".toString()], Timeouts.Kind.SERVICE).ok()
        // A peer on the target's loopback that accepts connections and never answers (the release's ERTS
        // runs it: the VM has no Erlang of its own).
        write("/run/systemd/system/${unit}-silent.service", """[Service]
ExecStart=$dir/bin/tiny eval "{:ok, l} = :gen_tcp.listen($silentPort, [ip: {127,0,0,1}, reuseaddr: true]); f = fn f -> {:ok, _} = :gen_tcp.accept(l); f.(f) end; f.(f)"
""")
        assert runner.run(['systemctl', 'daemon-reload']).ok()
        assert runner.run(['systemctl', 'start', "${unit}-silent.service".toString()], Timeouts.Kind.SERVICE).ok()
        def up = new HealthWaiter(WaitPolicy.within(Duration.ofSeconds(90)))
                .await([httpCheck(), beamPing(), new TcpCheck('127.0.0.1', silentPort, T, connector)])
        assert up.healthy(), up.summary()
    }

    def cleanupSpec() {
        if (runner != null) {
            runner.run(['systemctl', 'stop', "${unit}.service".toString(), "${unit}-silent.service".toString()])
            runner.run(['rm', '-rf', "/run/systemd/system/${unit}.service".toString(),
                        "/run/systemd/system/${unit}-silent.service".toString(), envFile, dir])
            runner.run(['systemctl', 'daemon-reload'])
        }
    }

    BeamTarget target(String name = node, String c = cookie, int epmd = 4369) {
        BeamTarget.via(connector, name, Secret.of(new SecretRef.Env('RELEASE_COOKIE'), c), epmd)
    }

    HealthCheck httpCheck() { new HttpCheck("http://127.0.0.1:$httpPort/health", 200, T, connector) }

    HealthCheck beamPing() { new BeamPingCheck(target(), T) }

    def "the lab forwards no port but SSH"() {
        given:
        def pid = Files.readString(Lab.runDir().resolve('qemu.pid')).strip()
        def cmdline = Files.readString(Path.of('/proc', pid, 'cmdline')).replace('\u0000', ' ')
        def forwards = (cmdline =~ /hostfwd=[^, ]+/).collect { it }

        expect:
        forwards.size() == 1
        forwards[0] ==~ /hostfwd=tcp:127\.0\.0\.1:\d+-:22/
    }

    def "the release's HTTP listener is bound to the target's loopback only, so this host cannot reach it"() {
        when:
        def listening = runner.run(['ss', '-Hltn']).stdout().readLines()*.trim().findAll { it.contains(":$httpPort ") }

        then:
        listening.size() == 1
        listening[0].contains("127.0.0.1:$httpPort ")

        and: 'from this host, directly, nothing is there'
        !new HttpCheck("http://127.0.0.1:$httpPort/health", 200, Duration.ofSeconds(2)).check().healthy()
    }

    def "http, tcp, beamPing and rpc all pass through SSH"() {
        when:
        def checks = [httpCheck(), new TcpCheck('127.0.0.1', httpPort, T, connector), beamPing(),
                      new RpcCheck(target(), 'Elixir.Tiny', 'health', [], 'ok', T),
                      new RpcCheck(target(), 'erlang', 'node', [], "'$node'", T)]
        def results = checks*.check()

        then:
        results.every { it.healthy() }
        results*.reason().every { it == 'ok' }
        TargetHttp.get(connector, httpPort, '/version') == '200 1.0.1'
    }

    def "HealthChecks.forApp with the runner's connector builds checks that pass on the target"() {
        given:
        def pos = new SourcePos('spec.groovy', 1, 1)
        def app = new AppSpec('tiny', 'apps/tiny', '1.0.1', Optional.of(node), Optional.of(new SecretRef.Env('SPEC_COOKIE')),
                [new HealthCheckSpec.BeamPing(5000), new HealthCheckSpec.Rpc('Elixir.Tiny', 'health', [], 'ok', 5000),
                 new HealthCheckSpec.Http("http://127.0.0.1:$httpPort/health".toString(), 200, 5000),
                 new HealthCheckSpec.Tcp('127.0.0.1', distPort, 5000)], pos, pos)

        when:
        def checks = HealthChecks.forApp(app, runner.connector(), [SPEC_COOKIE: cookie])
        def report = new HealthWaiter(WaitPolicy.within(Duration.ofSeconds(30))).await(checks)

        then:
        report.healthy()
        checks[0].describe() == "beamPing $node (epmd 127.0.0.1:4369)".toString()
        !report.toString().contains(cookie)
    }

    def "failures seen through SSH say what is wrong: #what"() {
        when:
        def r = check().check()
        def where = 'via ' + connector.describe()

        then:
        !r.healthy()
        r.reason() == reason.replace('NODE', node).replace('VIA', where).replace('ALIVE', "hs$tag")
        !r.toString().contains(cookie)

        where:
        what                    | check                                                                               || reason
        'tcp, closed port'      | { new TcpCheck('127.0.0.1', 1, T, connector) }                                      || 'connection refused'
        'http, closed port'     | { new HttpCheck('http://127.0.0.1:1/health', 200, T, connector) }                   || 'connection refused'
        'http, wrong status'    | { new HttpCheck("http://127.0.0.1:$httpPort/nope", 200, T, connector) }             || 'HTTP 404 (expected 200)'
        'beamPing, wrong cookie'| { new BeamPingCheck(target(node, 'not-the-cookie'), T) }                            || 'wrong cookie'
        'beamPing, no such node'| { new BeamPingCheck(target('nosuch@127.0.0.1'), T) }                                || 'node down (nosuch not registered with epmd 127.0.0.1:4369 VIA)'
        'beamPing, no epmd'     | { new BeamPingCheck(target(node, cookie, 4370), T) }                                || 'node down (epmd 127.0.0.1:4370 VIA: connection refused)'
        'rpc, wrong answer'     | { new RpcCheck(target(), 'erlang', 'node', [], 'other', T) }                        || "rpc returned 'NODE' (expected other)"
    }

    def "an rpc that does not return is cut at its timeout, through SSH too"() {
        when:
        def r = new RpcCheck(target(), 'timer', 'sleep', ['10000'], 'ok', Duration.ofMillis(800)).check()

        then:
        r.reason() == 'timeout after 800 ms (connected, no rpc reply)'
        r.elapsed().toMillis() >= 800 - 5   // toMillis() truncates
    }

    def "a target-side peer that accepts and never answers cannot hang a check through SSH: #kind"() {
        when:
        def r = check().check()

        then:
        r.reason() == reason
        r.elapsed().toMillis() >= 500 - 5   // toMillis() truncates

        where:
        kind                    | check                                                                                  || reason
        'beamPing, silent epmd' | { new BeamPingCheck(target(node, cookie, silentPort), Duration.ofMillis(500)) }        || "timeout after 500 ms (epmd 127.0.0.1:$silentPort did not answer)"
        'rpc, silent epmd'      | { new RpcCheck(target(node, cookie, silentPort), 'erlang', 'node', [], 'x', Duration.ofMillis(500)) } || "timeout after 500 ms (epmd 127.0.0.1:$silentPort did not answer)"
        'http, silent server'   | { new HttpCheck("http://127.0.0.1:$silentPort/health", 200, Duration.ofMillis(500), connector) } || 'timeout after 500 ms'
    }

    def "a service killed during the stability window restarts it: healthy only after a full window without restarts"() {
        given:
        def systemd = new LinuxSystemd(runner)
        def stable = new ServiceStableCheck(unit, { systemd.status(unit) }, T)
        def rounds = []
        boolean killed = false
        def policy = new WaitPolicy(Duration.ofSeconds(120), new Backoff(Duration.ofMillis(500), Duration.ofSeconds(2), 2.0),
                Duration.ofSeconds(6))
        def waiter = new HealthWaiter(policy, { List<HealthResult> r ->
            rounds << r
            if (!killed && rounds.size() == 2 && r.every { it.healthy() }) {
                killed = true
                assert runner.run(['systemctl', 'kill', '-s', 'KILL', "${unit}.service".toString()]).ok()
            }
        })

        when:
        def report = waiter.await([stable, beamPing()])

        then:
        killed
        report.healthy()
        report.healthyFor() >= Duration.ofSeconds(6)
        def stableFailures = rounds.flatten().findAll { !it.healthy() && it.check() == stable.describe() }*.reason()
        stableFailures.any { it ==~ /service \S+ (restarted \(main PID \d+ -> \d+\)|restarted \(restart count \d+ -> \d+\)|is \S+ \(not active\))/ }
        systemd.status(unit).restarts() >= 1
    }

    def "a command that runs past its timeout is killed on the target"() {
        when:
        runner.run(['sleep', '37.25'], null, Duration.ofMillis(300))

        then:
        def e = thrown(CommandTimeoutException)
        e.timeout() == Duration.ofMillis(300)
        e.message == "command timed out after 300 ms and was killed: sleep 37.25 (${runner.describe()})".toString()

        and: 'the remote sleep is gone (SIGKILL through the channel)'
        gone('sleep 37.25')
    }

    boolean gone(String cmd) {
        for (int i = 0; i < 50; i++) {
            if (runner.run(['pgrep', '-f', '-x', cmd]).exitCode() == 1) {
                return true
            }
            Thread.sleep(100)
        }
        false
    }
}
