package com.zed.platform

import com.zed.beam.Release
import com.zed.beam.ReleaseStore
import com.zed.beam.ReleaseUnpacker
import com.zed.beam.ServiceUnits
import com.zed.beam.Tarballs
import com.zed.beam.UnsafeReleaseException
import com.zed.exec.CommandResult
import com.zed.support.LabSpecification
import com.zed.zfs.DatasetName
import org.apache.commons.compress.archivers.tar.TarConstants
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CompletableFuture

/**
 * The real test release `tiny`, unpacked by ReleaseUnpacker into a fresh dataset in the lab VM and run by
 * systemd as its own unprivileged user in the confined unit: healthy, exposure at or under the threshold,
 * owners and modes as designed, its release read-only to it, its cookie never on a command line; hostile
 * tarballs refused with nothing left behind; pre-commands confined, bounded and stoppable.
 */
@Stepwise
class ConfinedServiceLiveSpec extends LabSpecification {
    /** `systemd-analyze security` of the generated unit, measured on the lab (systemd 252): docs/platform.md. */
    static final BigDecimal EXPOSURE = 1.1
    /** The same with CAP_NET_BIND_SERVICE (and so without a user namespace). */
    static final BigDecimal EXPOSURE_LOW_PORTS = 1.5
    static final String SERVICE = 'zed-tiny'
    static final String USER = ServiceUnits.user('tiny')

    @Shared Path dist = Path.of(System.getProperty('zed.repo', '..'), 'target', 'dist').toAbsolutePath()
    @Shared Path tmp = com.zed.support.ScratchDir.create('confined')
    @Shared String cookie = 'spec-' + UUID.randomUUID()
    @Shared DatasetName app
    @Shared String mp
    @Shared String state
    @Shared String rel
    @Shared LinuxSystemd platform
    @Shared Map<String, Object> measured = [:]

    def setupSpec() {
        if (!Files.exists(dist.resolve('tiny/tiny-1.0.1.tar.gz'))) {
            def p = new ProcessBuilder(Path.of(System.getProperty('zed.repo', '..'), 'scripts/lab.d/build-test-releases').toString(),
                    dist.toString()).inheritIO().start()
            assert p.waitFor() == 0
        }
        platform = new LinuxSystemd(runner)
        app = fresh('tiny')
        mp = mountpoint(app)
        state = ServiceUnits.stateDirectory(mp)
        rel = mp + '/releases/1.0.1'
    }

    def cleanupSpec() {
        com.zed.support.ScratchDir.delete(tmp)
        if (runner != null) {
            platform.stopCommand(SERVICE)
            removeService(SERVICE)
            runner.run(['rm', '-f', "/run/zed/${SERVICE}-cmd.log".toString()])
            runner.run(['systemctl', 'daemon-reload'])
            runner.run(['systemctl', 'reset-failed', SERVICE + '.service', SERVICE + '-cmd.service'])
            runner.run(['userdel', USER])
        }
        if (!measured.isEmpty()) {
            new File('target/confined-service.txt').text = measured.collect { k, v -> "$k=$v" }.join('\n') + '\n'
        }
    }

    ServiceSpec spec(boolean lowPorts = false, Duration timeout = Duration.ofMinutes(2)) {
        ServiceUnits.forApp('tiny', app.value(), mp, USER, state, OptionalInt.of(9100), true, lowPorts, timeout)
    }

    Release release(String name, byte[] tgz) {
        def f = tmp.resolve(name)
        Files.write(f, tgz)
        new Release('tiny', '6.6.6', f, ReleaseStore.sha256(f), Files.size(f))
    }

    CommandResult sh(List<String> argv) {
        runner.run(argv)
    }

    /** The release's own rpc, run as the app's user with the unit's credential as its cookie (never in argv). */
    CommandResult rpc(String expr, String home = "/run/credentials/${SERVICE}.service") {
        sh(['runuser', '-u', USER, '--', 'env', '-i', '-C', state, 'PATH=/usr/bin:/bin', "HOME=$home".toString(),
            'ERL_ZFLAGS=-setcookie', 'RELEASE_NODE=tiny@127.0.0.1', 'RELEASE_DISTRIBUTION=name',
            mp + '/current/bin/tiny', 'rpc', expr])
    }

    String awaitRpc(String expr) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos()
        CommandResult r = null
        while (System.nanoTime() < deadline) {
            r = rpc(expr)
            if (r.ok()) {
                return r.stdout().strip()
            }
            Thread.sleep(1000)
        }
        throw new AssertionError("rpc never answered: ${r?.stderr()}")
    }

    BigDecimal exposure(String unit) {
        def r = sh(['systemd-analyze', 'security', '--no-pager', unit])
        assert r.ok(), r.stderr()
        def m = r.stdout() =~ /Overall exposure level for \S+: (\d+\.\d+)/
        assert m.find(), r.stdout()
        measured["open:$unit".toString()] = r.stdout().readLines().findAll { it.startsWith('✗') }
                .collect { it.substring(2).trim().split(/\s+/)[0] + ' ' + it.trim().split(/\s+/)[-1] }.join(', ')
        new BigDecimal(m.group(1))
    }

    List<String> tree() {
        sh(['find', mp, '-mindepth', '1']).stdout().readLines().sort()
    }

    def "hostile tarballs are refused, naming the entry, and leave nothing behind on the target"() {
        given: 'one from GNU tar here, the others hand-made'
        // The absolute link points into this spec's own temp dir and is removed (not followed) right after
        // tar read it: a temp-dir cleanup that follows links must never find a way out of the temp dir.
        def work = Files.createDirectories(tmp.resolve('gnu'))
        def outside = Files.createDirectories(tmp.resolve('outside')).toAbsolutePath()
        Files.createSymbolicLink(work.resolve('etc'), outside)
        def made = new ProcessBuilder('tar', '-czf', tmp.resolve('gnu.tar.gz').toString(), '-C', work.toString(), 'etc')
                .redirectErrorStream(true).start()
        int madeExit = made.waitFor()
        Files.delete(work.resolve('etc')) // deletes the link itself
        assert madeExit == 0
        def hostile = [
                'gnu-symlink-out.tar.gz': Files.readAllBytes(tmp.resolve('gnu.tar.gz')),
                'absolute.tar.gz'       : Tarballs.tgz { file 'bin/tiny'; file '/etc/cron.d/zed', '* * * * * root id' },
                'dotdot.tar.gz'         : Tarballs.tgz { file 'bin/tiny'; file 'lib/../../../../etc/zed-owned' },
                'device.tar.gz'         : Tarballs.tgz { file 'bin/tiny'; special 'dev/kmem', TarConstants.LF_CHR },
                'fifo.tar.gz'           : Tarballs.tgz { file 'bin/tiny'; special 'tmp/pipe', TarConstants.LF_FIFO },
                'link-through.tar.gz'   : Tarballs.tgz { symlink 'lib', '.'; symlink 'up', 'lib/..'; file 'up/x' },
                'hardlink-out.tar.gz'   : Tarballs.tgz { hardlink 'shadow', '/etc/shadow' },
        ]

        when:
        def refusals = hostile.collectEntries { name, bytes ->
            try {
                ReleaseUnpacker.unpack(runner, release(name, bytes), mp + '/releases/6.6.6')
                [(name): null]
            } catch (UnsafeReleaseException e) {
                [(name): e]
            }
        }

        then:
        refusals.every { it.value != null }
        refusals['gnu-symlink-out.tar.gz'].message.contains("entry 'etc' is a symbolic link to the absolute path '${outside}'")
        refusals['absolute.tar.gz'].entry() == '/etc/cron.d/zed'
        refusals['dotdot.tar.gz'].problem() == UnsafeReleaseException.Problem.PARENT_COMPONENT
        refusals['device.tar.gz'].entry() == 'dev/kmem'
        refusals['fifo.tar.gz'].problem() == UnsafeReleaseException.Problem.FIFO
        refusals['link-through.tar.gz'].problem() == UnsafeReleaseException.Problem.LINK_OUTSIDE
        refusals['hardlink-out.tar.gz'].problem() == UnsafeReleaseException.Problem.LINK_OUTSIDE
        refusals.values().every { it.message.endsWith('refused, nothing was unpacked') }

        and: 'nothing on the target: not the release directory, not a file outside'
        tree().isEmpty()
        !sh(['test', '-e', '/etc/cron.d/zed']).ok()
        !sh(['test', '-e', '/etc/zed-owned']).ok()
    }

    def "the real release unpacks root-owned, directories and executables 755, files 644, nothing special"() {
        when:
        def t0 = System.nanoTime()
        def plan = ReleaseUnpacker.unpack(runner, new ReleaseStore(dist).locate('tiny', '1.0.1'), rel)
        measured.unpack_ms = (System.nanoTime() - t0).intdiv(1_000_000)
        def files = sh(['find', rel, '-printf', '%u:%g %m %y %p\\n']).stdout().readLines()

        then:
        plan.stripped().isEmpty()
        files.count { it.contains(' f ') } == plan.count(ReleaseUnpacker.Kind.FILE) + plan.count(ReleaseUnpacker.Kind.HARDLINK)
        files.count { it.contains(' l ') } == plan.count(ReleaseUnpacker.Kind.SYMLINK)
        files.every { it.startsWith('root:root ') }
        files.findAll { it.contains(' f ') }.every { it.split(' ')[1] in ['755', '644'] }
        files.findAll { it.contains(' d ') }.every { it.split(' ')[1] == '755' }
        sh(['stat', '-c', '%U:%G %a', "$rel/bin/tiny".toString()]).stdout().strip() == 'root:root 755'
        sh(['stat', '-c', '%U:%G %a', "$rel/releases/1.0.1/env.sh".toString()]).stdout().strip() == 'root:root 644'
        sh([rel + '/bin/tiny', 'version']).stdout().strip() == 'tiny 1.0.1'
    }

    def "the app's system user is created once; its state directory is its own, 700"() {
        when:
        platform.ensureUser(USER, state)
        platform.ensureUser(USER, state)
        platform.ensureStateDirectory(USER, state)
        platform.ensureStateDirectory(USER, state)
        def pw = sh(['getent', 'passwd', USER]).stdout().strip().split(':')

        then:
        pw[0] == 'zed-tiny'
        (pw[2] as int) < 1000
        pw[5] == state
        pw[6] == '/usr/sbin/nologin'
        sh(['stat', '-c', '%U:%G %a', state]).stdout().strip() == 'zed-tiny:zed-tiny 700'
        sh(['stat', '-c', '%U:%G %a', mp]).stdout().strip() == 'root:root 755'
    }

    def "the confined unit starts the release as the user, healthy, its cookie a credential and not in ps"() {
        given:
        platform.writeEnvironment(SERVICE, [RELEASE_NODE: 'tiny@127.0.0.1', RELEASE_DISTRIBUTION: 'name',
                                            TINY_HTTP_PORT: '9101', TINY_HTTP_IP: '127.0.0.1'])
        platform.writeCookie(SERVICE, cookie)
        assert sh(['ln', '-sfn', 'releases/1.0.1', mp + '/current']).ok()

        when:
        long t0 = System.nanoTime()
        platform.install(spec())
        platform.start(SERVICE)
        def health = awaitRpc('IO.puts(Tiny.health())')
        measured.start_to_rpc_ms = (System.nanoTime() - t0).intdiv(1_000_000)
        def status = platform.status(SERVICE)
        def pid = status.mainPid()

        then:
        health == 'ok'
        status.active()
        sh(['ps', '-o', 'user=', '-p', pid as String]).stdout().strip() == USER
        sh(['grep', '-E', '^(Cap(Prm|Eff|Bnd|Amb)|NoNewPrivs):', "/proc/$pid/status".toString()]).stdout().readLines()*.replaceAll(/\s+/, ' ').sort() ==
                ['CapAmb: 0000000000000000', 'CapBnd: 0000000000000000', 'CapEff: 0000000000000000',
                 'CapPrm: 0000000000000000', 'NoNewPrivs: 1']

        and: 'the cookie is in no command line, and the node does not take the one in the release'
        !sh(['cat', "/proc/$pid/cmdline".toString()]).stdout().contains(cookie)
        !sh(['ps', '-eo', 'args']).stdout().contains(cookie)
        sh(['cat', "/run/credentials/${SERVICE}.service/.erlang.cookie".toString()]).stdout() == cookie
        sh(['stat', '-c', '%U %a', "/run/credentials/${SERVICE}.service/.erlang.cookie".toString()]).stdout().strip() == 'zed-tiny 400'
        sh(['stat', '-c', '%U:%G %a', '/etc/zed/zed-tiny.cookie']).stdout().strip() == 'root:root 600'

        and: 'a helper node with the release\'s built-in cookie is turned away'
        def wrongHome = state + '/wrong-home'
        sh(['install', '-d', '-o', USER, '-m', '700', wrongHome])
        sh(['install', '-o', USER, '-m', '400', rel + '/releases/COOKIE', wrongHome + '/.erlang.cookie'])
        !rpc('IO.puts(:ok)', wrongHome).ok()
    }

    def "systemd-analyze security rates the unit at or under #EXPOSURE (it was 9.6 unconfined)"() {
        when:
        def score = exposure(SERVICE + '.service')
        measured.exposure = score

        then:
        score <= EXPOSURE
    }

    def "the app writes its state directory and /tmp, and nothing else: not its release, not the dataset"() {
        when:
        def fromNode = awaitRpc('IO.inspect([' +
                "cur: File.write(\"$mp/current/bin/x\", \"y\"), " +
                "rel: File.write(\"$rel/lib/x\", \"y\"), " +
                "ds: File.write(\"$mp/x\", \"y\"), " +
                "etc: File.write(\"/etc/zed-x\", \"y\"), " +
                "state: File.write(\"$state/x\", \"y\"), " +
                'tmp: File.write("/tmp/x", "y"), ' +
                'cwd: File.cwd!(), ' +
                'suid: File.chmod("/tmp/x", 0o4755)])')

        then:
        fromNode.contains('cur: {:error, :erofs}')
        fromNode.contains('rel: {:error, :erofs}')
        fromNode.contains('ds: {:error, :erofs}')
        fromNode.contains('etc: {:error, :erofs}')
        fromNode.contains('state: :ok')
        fromNode.contains('tmp: :ok')
        fromNode.contains("cwd: \"$state\"")
        fromNode.contains('suid: {:error, :eperm}')

        and: 'even outside the unit\'s sandbox, the user cannot change its release'
        !sh(['runuser', '-u', USER, '--', 'touch', rel + '/bin/tiny']).ok()
        !sh(['runuser', '-u', USER, '--', 'touch', rel + '/new']).ok()
        !sh(['runuser', '-u', USER, '--', 'ln', '-sfn', '/tmp', mp + '/current']).ok()
        !sh(['runuser', '-u', USER, '--', 'rm', '-rf', rel + '/lib']).ok()
        sh(['runuser', '-u', USER, '--', 'touch', state + '/ok']).ok()
        sh([rel + '/bin/tiny', 'version']).stdout().strip() == 'tiny 1.0.1'
    }

    def "a pre-command runs as the app's user, confined, with the service's environment"() {
        when:
        def out = platform.runCommand(spec(), [rel + '/bin/tiny', 'eval',
                'IO.puts(Enum.join([elem(System.cmd("id", ["-un"]), 0) |> String.trim(), System.get_env("STATE_DIRECTORY"), System.get_env("TINY_HTTP_PORT"), inspect(File.write("' + rel + '/x", "y"))], " "))'])

        then:
        out.exitCode() == 0
        out.result() == 'success'
        out.output() == "zed-tiny $state 9101 {:error, :erofs}"
        exposure(SERVICE + '-cmd.service') <= EXPOSURE
    }

    def "a hung pre-command is stopped at its timeout and fails as a timeout"() {
        when:
        long t0 = System.nanoTime()
        def out = platform.runCommand(spec(false, Duration.ofSeconds(5)), [rel + '/bin/tiny', 'eval', 'IO.puts("hanging"); :timer.sleep(:infinity)'])
        long ms = (System.nanoTime() - t0).intdiv(1_000_000)
        measured.timeout_5s_took_ms = ms

        then:
        out.exitCode() != 0
        out.timedOut()
        ms >= 5000
        sh(['systemctl', 'is-active', SERVICE + '-cmd.service']).stdout().strip() in ['failed', 'inactive']
    }

    def "a running pre-command can be stopped (Ctrl-C)"() {
        when:
        def running = CompletableFuture.supplyAsync {
            platform.runCommand(spec(false, Duration.ofMinutes(5)), [rel + '/bin/tiny', 'eval', ':timer.sleep(:infinity)'])
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos()
        while (System.nanoTime() < deadline && sh(['systemctl', 'is-active', SERVICE + '-cmd.service']).stdout().strip() != 'activating') {
            Thread.sleep(300)
        }
        long t0 = System.nanoTime()
        platform.stopCommand(SERVICE)
        def out = running.get()
        measured.stop_command_ms = (System.nanoTime() - t0).intdiv(1_000_000)

        then:
        out.exitCode() != 0
        !out.timedOut()
        sh(['systemctl', 'is-active', SERVICE + '-cmd.service']).stdout().strip() in ['failed', 'inactive']
    }

    def "binding a port below 1024 is a declared capability: CAP_NET_BIND_SERVICE only"() {
        given:
        platform.writeEnvironment(SERVICE, [RELEASE_NODE: 'tiny@127.0.0.1', RELEASE_DISTRIBUTION: 'name',
                                            TINY_HTTP_PORT: '80', TINY_HTTP_IP: '127.0.0.1'])

        when:
        platform.stop(SERVICE)
        platform.install(spec(true))
        platform.start(SERVICE)
        def health = awaitRpc('IO.puts(Tiny.health())')
        def pid = platform.status(SERVICE).mainPid()
        def score = exposure(SERVICE + '.service')
        measured.exposure_low_ports = score

        then:
        health == 'ok'
        sh(['ss', '-Htln', 'sport = :80']).stdout().contains('127.0.0.1:80')
        sh(['grep', '^CapBnd:', "/proc/$pid/status".toString()]).stdout().strip().endsWith('0000000000000400')
        score <= EXPOSURE_LOW_PORTS

        cleanup:
        platform.stop(SERVICE)
    }
}
