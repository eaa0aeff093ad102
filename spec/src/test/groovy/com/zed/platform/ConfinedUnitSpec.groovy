package com.zed.platform

import com.zed.beam.ServiceUnits
import com.zed.exec.CommandRunner
import com.zed.exec.Execution
import spock.lang.Specification

import java.nio.charset.StandardCharsets
import java.time.Duration

/** The confined unit and its one-off command unit, as text; and the host commands that set them up. */
class ConfinedUnitSpec extends Specification {

    static ServiceSpec tiny(Map opts = [:]) {
        ServiceUnits.forApp('tiny', 'jeff/apps/tiny', '/jeff/apps/tiny', 'zed-tiny', '/jeff/apps/tiny/state',
                opts.containsKey('distPort') ? OptionalInt.of(opts.distPort as int) : OptionalInt.empty(),
                opts.cookie == null ? true : opts.cookie as boolean, opts.lowPorts as boolean,
                (opts.timeout ?: Duration.ofMinutes(5)) as Duration)
    }

    static List<String> lines(String unit) {
        unit.readLines()
    }

    def "the app runs as its own user, in its state directory, with the cookie as a credential"() {
        when:
        def unit = LinuxSystemd.unit(tiny(distPort: 9100))

        then:
        lines(unit).containsAll([
                'User=zed-tiny', 'Group=zed-tiny',
                'WorkingDirectory=/jeff/apps/tiny/state',
                'LoadCredential=.erlang.cookie:/etc/zed/zed-tiny.cookie',
                'Environment=HOME=%d',
                'Environment=ERL_ZFLAGS=-setcookie',
                'Environment="RELEASE_TMP=/tmp"',
                'Environment="STATE_DIRECTORY=/jeff/apps/tiny/state"',
                'EnvironmentFile=/etc/zed/zed-tiny.env',
                'ExecStart="/usr/bin/env" "ERL_AFLAGS=-kernel inet_dist_listen_min 9100 inet_dist_listen_max 9100" "/jeff/apps/tiny/current/bin/tiny" "start"',
                'Restart=on-failure',
                'WantedBy=multi-user.target'])
        !unit.contains('RELEASE_COOKIE')
        !unit.contains('ExecStop=')
    }

    def "the unit is confined: read-only system but the state directory, no capabilities, private /tmp, devices, users"() {
        when:
        def l = lines(LinuxSystemd.unit(tiny()))

        then:
        l.containsAll(['UMask=0077', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/jeff/apps/tiny/state',
                       'ProtectHome=yes', 'PrivateTmp=yes', 'PrivateDevices=yes', 'PrivateMounts=yes', 'PrivateUsers=yes',
                       'CapabilityBoundingSet=', 'AmbientCapabilities=',
                       'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
                       'SystemCallArchitectures=native', 'SystemCallFilter=@system-service',
                       'SystemCallFilter=~@privileged @resources', 'SystemCallErrorNumber=EPERM',
                       'MemoryDenyWriteExecute=yes',
                       'ProtectKernelTunables=yes', 'ProtectKernelModules=yes', 'ProtectKernelLogs=yes',
                       'ProtectControlGroups=yes', 'ProtectClock=yes', 'ProtectHostname=yes', 'ProtectProc=invisible',
                       'RestrictNamespaces=yes', 'RestrictRealtime=yes', 'RestrictSUIDSGID=yes', 'LockPersonality=yes',
                       'RemoveIPC=yes', 'KeyringMode=private'])
        l.count { it.startsWith('ReadWritePaths=') } == 1
    }

    def "binding ports below 1024 is a declared capability, and only that one (then without a user namespace)"() {
        when:
        def l = lines(LinuxSystemd.unit(tiny(lowPorts: true)))

        then:
        l.containsAll(['CapabilityBoundingSet=CAP_NET_BIND_SERVICE', 'AmbientCapabilities=CAP_NET_BIND_SERVICE', 'PrivateUsers=no'])
        !l.contains('PrivateUsers=yes')
        l.contains('User=zed-tiny')
    }

    def "without a cookie the node keeps the release's own, and HOME is the state directory"() {
        when:
        def unit = LinuxSystemd.unit(tiny(cookie: false))

        then:
        !unit.contains('LoadCredential')
        !unit.contains('ERL_ZFLAGS')
        unit.contains('Environment="HOME=/jeff/apps/tiny/state"\n')
    }

    def "the unit text does not depend on the JVM: environment lines are sorted, whatever order they came in"() {
        given:
        def env = (1..20).collectEntries { ["V${(it * 7) % 20}".toString(), "${it}".toString()] }
        def box = new Sandbox('zed-tiny', env, ['/s'], false, false, false, Duration.ofSeconds(5))

        when:
        def names = box.environment().keySet() as List

        then: 'Map.copyOf iterates in an order salted per JVM; a unit compared across runs must not'
        names == names.toSorted()
    }

    def "W+X memory is allowed only when asked"() {
        given:
        def box = new Sandbox('zed-tiny', [:], ['/s'], false, false, true, Duration.ofSeconds(5))

        expect:
        !LinuxSystemd.unit(new ServiceSpec('zed-tiny', 'd', '/s', ['/x'], [], Optional.of(box))).contains('MemoryDenyWriteExecute')
    }

    def "a pre-command unit runs like the service, bounded by TimeoutStartSec, output to /run/zed"() {
        when:
        def l = lines(LinuxSystemd.commandUnit(tiny(timeout: Duration.ofMillis(90_500)),
                ['/jeff/apps/tiny/releases/1.0.1/bin/tiny', 'eval', 'Tiny.Migrate.run()']))

        then:
        l.containsAll(['Type=oneshot', 'User=zed-tiny', 'Group=zed-tiny', 'WorkingDirectory=/jeff/apps/tiny/state',
                       'LoadCredential=.erlang.cookie:/etc/zed/zed-tiny.cookie', 'EnvironmentFile=/etc/zed/zed-tiny.env',
                       'ExecStart="/jeff/apps/tiny/releases/1.0.1/bin/tiny" "eval" "Tiny.Migrate.run()"',
                       'TimeoutStartSec=91', 'StandardOutput=truncate:/run/zed/zed-tiny-cmd.log',
                       'ProtectSystem=strict', 'ReadWritePaths=/jeff/apps/tiny/state', 'CapabilityBoundingSet=',
                       'NoNewPrivileges=yes', 'MemoryDenyWriteExecute=yes'])
        !l.any { it.startsWith('Restart=') || it.startsWith('[Install]') }
    }

    def "Environment= values are quoted and cannot smuggle settings"() {
        expect:
        LinuxSystemd.environmentAssignment('A', 'x "y" \\ 100%') == '"A=x \\"y\\" \\\\ 100%%"'

        when:
        LinuxSystemd.environmentAssignment('A', 'x\nUser=root')

        then:
        thrown(IllegalArgumentException)
    }

    def "a sandbox refuses what would be misread: #what"() {
        when:
        new Sandbox(user, env, paths, cookie, false, false, timeout)

        then:
        thrown(IllegalArgumentException)

        where:
        what                         | user          | env            | paths           | cookie | timeout
        'an upper-case user'         | 'Zed-tiny'    | [:]            | ['/s']          | false  | Duration.ofSeconds(1)
        'a 33-character user'        | 'z' * 33      | [:]            | ['/s']          | false  | Duration.ofSeconds(1)
        'a relative writable path'   | 'zed-tiny'    | [:]            | ['state']       | false  | Duration.ofSeconds(1)
        'a .. in a writable path'    | 'zed-tiny'    | [:]            | ['/a/../etc']   | false  | Duration.ofSeconds(1)
        'HOME beside the credential' | 'zed-tiny'    | [HOME: '/s']   | ['/s']          | true   | Duration.ofSeconds(1)
        'no timeout'                 | 'zed-tiny'    | [:]            | ['/s']          | false  | Duration.ZERO
    }

    def "timeouts are whole seconds, rounded up"() {
        expect:
        LinuxSystemd.seconds(Duration.ofMillis(1)) == 1
        LinuxSystemd.seconds(Duration.ofSeconds(30)) == 30
        LinuxSystemd.seconds(Duration.ofMillis(30_001)) == 31
    }

    // ---- host commands -----------------------------------------------------------------------------

    /** Answers each command by the first matching rule; records argv and stdin. */
    static class ScriptedRunner implements CommandRunner {
        final List<List<String>> commands = []
        final List<String> inputs = []
        final List<Map> rules = []

        ScriptedRunner on(List<String> prefix, int exit, String stdout = '', String stderr = '') {
            rules << [prefix: prefix, exit: exit, stdout: stdout, stderr: stderr]
            this
        }

        @Override
        Execution start(List<String> argv) {
            commands << List.copyOf(argv)
            def rule = rules.find { r -> argv.size() >= r.prefix.size() && argv.subList(0, r.prefix.size()) == r.prefix } ?: [exit: 0, stdout: '', stderr: '']
            def sink = new ByteArrayOutputStream()
            inputs << ''
            int idx = inputs.size() - 1
            new Execution() {
                OutputStream stdin() { new FilterOutputStream(sink) { void close() { inputs[idx] = sink.toString('UTF-8') } } }
                InputStream stdout() { new ByteArrayInputStream((rule.stdout as String).getBytes(StandardCharsets.UTF_8)) }
                InputStream stderr() { new ByteArrayInputStream((rule.stderr as String).getBytes(StandardCharsets.UTF_8)) }
                int waitFor() { rule.exit as int }
                void kill() {}
                void close() {}
            }
        }

        @Override
        String describe() { 'scripted' }
    }

    def "a missing user is created as a system user without home or shell"() {
        given:
        def r = new ScriptedRunner().on(['getent'], 2)

        when:
        new LinuxSystemd(r).ensureUser('zed-tiny', '/jeff/apps/tiny/state')

        then:
        r.commands == [['getent', 'passwd', 'zed-tiny'],
                       ['useradd', '--system', '--user-group', '--no-create-home', '--home-dir', '/jeff/apps/tiny/state',
                        '--shell', '/usr/sbin/nologin', '--comment', 'zed app', 'zed-tiny']]
    }

    def "an existing system user is kept; its home follows the dataset"() {
        given:
        def r = new ScriptedRunner().on(['getent'], 0, 'zed-tiny:x:997:997:zed app:/old/state:/usr/sbin/nologin\n')

        when:
        new LinuxSystemd(r).ensureUser('zed-tiny', '/jeff/apps/tiny/state')

        then:
        r.commands == [['getent', 'passwd', 'zed-tiny'], ['usermod', '--home', '/jeff/apps/tiny/state', 'zed-tiny']]
    }

    def "an existing user that is root or a person is refused: #line"() {
        given:
        def r = new ScriptedRunner().on(['getent'], 0, line)

        when:
        new LinuxSystemd(r).ensureUser('zed-tiny', '/s')

        then:
        def e = thrown(LinuxSystemd.PlatformException)
        e.message.contains('is not a system user')
        r.commands.size() == 1

        where:
        line << ['zed-tiny:x:1000:1000:Jeff:/home/jeff:/bin/bash\n', 'zed-tiny:x:0:0:root:/root:/bin/bash\n']
    }

    def "the state directory is the user's, mode 700, and never a symlink"() {
        given:
        def r = new ScriptedRunner().on(['test', '-L'], 1)

        when:
        new LinuxSystemd(r).ensureStateDirectory('zed-tiny', '/jeff/apps/tiny/state')

        then:
        r.commands == [['test', '-L', '/jeff/apps/tiny/state'],
                       ['install', '-d', '-o', 'zed-tiny', '-g', 'zed-tiny', '-m', '700', '/jeff/apps/tiny/state']]

        when:
        new LinuxSystemd(new ScriptedRunner().on(['test', '-L'], 0)).ensureStateDirectory('zed-tiny', '/jeff/apps/tiny/state')

        then:
        thrown(LinuxSystemd.PlatformException)
    }

    def "the cookie goes to a root-only file through stdin, never into an argument"() {
        given:
        def r = new ScriptedRunner()

        when:
        new LinuxSystemd(r).writeCookie('zed-tiny', 'S3CRET-cookie')

        then:
        r.commands == [['install', '-d', '-m', '700', '/etc/zed'],
                       ['install', '-m', '600', '/dev/null', '/etc/zed/zed-tiny.cookie.zed-tmp'],
                       ['dd', 'of=/etc/zed/zed-tiny.cookie.zed-tmp', 'conv=fsync', 'status=none'],
                       ['mv', '-f', '/etc/zed/zed-tiny.cookie.zed-tmp', '/etc/zed/zed-tiny.cookie']]
        r.inputs[2] == 'S3CRET-cookie'
        !r.commands.flatten().any { it.contains('S3CRET') }
    }

    def "a cookie erts would refuse is refused here, without showing it: #what"() {
        when:
        new LinuxSystemd(new ScriptedRunner()).writeCookie('zed-tiny', cookie)

        then:
        def e = thrown(IllegalArgumentException)
        !e.message.contains(cookie) || cookie.isBlank()

        where:
        what        | cookie
        'empty'     | ''
        'a blank'   | 'abc def'
        'a newline' | 'abc\ndef'
        'non-ASCII' | 'abcé'
    }

    def "a pre-command runs as a fresh oneshot unit; a timeout is reported as one"() {
        given:
        def r = new ScriptedRunner()
                .on(['systemctl', 'start'], 1, '', 'Job for zed-tiny-cmd.service failed because a timeout was exceeded.')
                .on(['systemctl', 'show'], 0, 'timeout\n')
                .on(['cat'], 0, 'migrating...\n')

        when:
        def out = new LinuxSystemd(r).runCommand(tiny(), ['/x/bin/tiny', 'eval', 'Tiny.Migrate.run()'])

        then:
        out.exitCode() == 1
        out.timedOut()
        out.result() == 'timeout'
        out.output() == 'migrating...'
        r.commands.contains(['systemctl', 'reset-failed', 'zed-tiny-cmd.service'])
        r.commands.contains(['systemctl', 'start', 'zed-tiny-cmd.service'])
        r.commands.findIndexOf { it == ['systemctl', 'reset-failed', 'zed-tiny-cmd.service'] } <
                r.commands.findIndexOf { it == ['systemctl', 'start', 'zed-tiny-cmd.service'] }
    }

    def "stopping a pre-command stops its unit; none running is fine"() {
        given:
        def r = new ScriptedRunner().on(['systemctl', 'stop'], 5, '', 'Failed to stop zed-tiny-cmd.service: Unit zed-tiny-cmd.service not loaded.')

        when:
        new LinuxSystemd(r).stopCommand('zed-tiny')

        then:
        r.commands == [['systemctl', 'stop', 'zed-tiny-cmd.service']]
    }

    def "the cookie file is one of the service's files outside ZFS, kept and put back with the environment and unit"() {
        expect:
        new LinuxSystemd(new ScriptedRunner()).files('zed-tiny') ==
                ['/etc/systemd/system/zed-tiny.service', '/etc/zed/zed-tiny.env', '/etc/zed/zed-tiny.cookie']
    }
}
