package com.zed.exec

import com.zed.cli.Lab
import com.zed.support.LabHosts
import com.zed.support.LabSpecification
import com.zed.support.ScratchDir
import spock.lang.Shared

import java.nio.file.Files
import java.nio.file.Path

/**
 * SSH as operators configure it, against real sshds: the lab VM and the namespace hosts inside it
 * (scripts/lab hosts up; zhK at 10.77.0.(10+K), reachable only through the lab). Host keys are always
 * checked; SSH_CONNECTION on the remote side says where each connection really came from.
 */
class SshConfigLiveSpec extends LabSpecification {
    @Shared Path scratch
    @Shared Path labKnownHosts

    def setupSpec() {
        LabHosts.up()
        scratch = ScratchDir.create('ssh-live')
        labKnownHosts = Lab.runDir().resolve('known_hosts')
    }

    def cleanupSpec() {
        if (scratch != null) {
            ScratchDir.delete(scratch)
        }
    }

    /** The client address and the server address of the connection a command ran on. */
    static List<String> connection(SshRunner r) {
        def c = r.run(['sh', '-c', 'echo "$SSH_CONNECTION"'])
        assert c.ok(), c.stderr()
        def f = c.stdout().trim().split(' ')
        [f[0], f[2]]
    }

    /** OpenSSH's own fingerprint of host zhK's key, computed in the VM by ssh-keygen. */
    String fingerprintOf(int k) {
        def r = runner.run(['ssh-keygen', '-l', '-E', 'sha256', '-f', "/var/lib/zed-hosts/zh$k/ssh_host_ed25519_key.pub".toString()])
        assert r.ok(), r.stderr()
        r.stdout().split(' ')[1]
    }

    String publicKeyOf(int k) {
        runner.run(['cat', "/var/lib/zed-hosts/zh$k/ssh_host_ed25519_key.pub".toString()]).stdout().split(' ')[1]
    }

    Path config(String name, String text) {
        Path f = scratch.resolve(name)
        Files.writeString(f, text)
        f
    }

    def "an alias with ProxyJump reaches a namespace host through the lab, its key found hashed in known_hosts"() {
        given: 'the known_hosts that scripts/lab hosts up wrote holds hashed names only'
        def known = Files.readAllLines(LabHosts.knownHosts()).findAll { !it.isBlank() }
        assert known.size() == LabHosts.COUNT && known.every { it.startsWith('|1|') }
        assert !Files.readString(LabHosts.knownHosts()).contains('10.77.0.')

        when:
        def r = LabHosts.runner('zh2')

        then: 'the command ran in zh2, on a connection from the lab bridge (the jump)'
        connection(r) == ['10.77.0.1', '10.77.0.12']
        r.run(['zfs', 'list', '-H', '-o', 'name', 'zh2']).stdout() == 'zh2\n'
        r.describe() == "ssh zh2 (root@10.77.0.12:22) via lab (root@127.0.0.1:${Lab.target().get().port()})"
        r.connections() == 2

        cleanup:
        r?.close()
    }

    def "a jump host that has a ProxyJump of its own makes a chain (#how)"() {
        given:
        def cfg = config("chain-${how.replace(' ', '-')}", """\
            Include ${LabHosts.sshConfig()}

            Host far
                HostName 10.77.0.13
                User root
                IdentityFile ${LabHosts.key()}
                UserKnownHostsFile ${LabHosts.knownHosts()}
                ProxyJump $jump

            Match exec "test -e /etc/zed-ops"
                User nobody
            """.stripIndent())

        when:
        def r = SshRunner.connect('far', new SshSettings(cfg, null, null, false).withAgentSocket(SshSettings.NO_AGENT))

        then: 'zh3 was reached from zh1, which was reached through the lab'
        connection(r) == ['10.77.0.11', '10.77.0.13']
        r.connections() == 3

        and: 'the Match block Zed does not evaluate is reported, not silently dropped'
        r.notices() == ["$cfg:10: 'Match exec test -e /etc/zed-ops' is not evaluated by Zed; that block is ignored".toString()]
        r.describe().endsWith('via lab (root@127.0.0.1:' + Lab.target().get().port() + '), zh1 (root@10.77.0.11:22)')

        cleanup:
        r?.close()

        where:
        how                           | jump
        'zh1 has ProxyJump lab'       | 'zh1'
        'comma-separated lab,zh1'     | 'lab,zh1'
    }

    def "a changed host key is refused with its fingerprint, and nothing runs (#flag)"() {
        given: "a known_hosts that gives zh2's address zh1's key"
        def known = scratch.resolve("known_hosts-changed-$accept")
        Files.writeString(known, Files.readString(labKnownHosts) + "10.77.0.12 ssh-ed25519 ${publicKeyOf(1)}\n")
        def before = Files.readString(known)
        def marker = "/tmp/zed-ssh-spec-marker-${System.nanoTime()}".toString()
        def settings = LabHosts.settings().withKnownHosts(known).acceptingNewHostKeys(accept)

        when:
        SshRunner.connect('zh2', settings).run(['touch', marker])

        then:
        def e = thrown(SshRunner.SshException)
        e.message.startsWith('HOST KEY CHANGED for zh2 (root@10.77.0.12:22): it offers ssh-ed25519 ' + fingerprintOf(2))
        e.message.contains("but $known:2 holds another ssh-ed25519 key for it (${fingerprintOf(1)})")
        e.message.contains("ssh-keygen -R 10.77.0.12 -f $known")

        and: 'the command never ran, and known_hosts is untouched'
        runner.run(['test', '-e', marker]).exitCode() == 1
        Files.readString(known) == before

        where:
        accept << [false, true]
        flag = accept ? 'even with accept-new' : 'strict'
    }

    def "an unknown host key is refused with its fingerprint, accepted with the flag, and then known"() {
        given: 'a known_hosts that knows the lab only'
        def known = scratch.resolve('known_hosts-new')
        Files.writeString(known, Files.readString(labKnownHosts))
        def settings = LabHosts.settings().withKnownHosts(known)

        when:
        SshRunner.connect('zh3', settings)

        then:
        def e = thrown(SshRunner.SshException)
        e.message.startsWith("host key of zh3 (root@10.77.0.13:22) is not known: it offers ssh-ed25519 ${fingerprintOf(3)}, which is in none of $known.")
        e.message.contains('--accept-new-host-key')
        Files.readString(known) == Files.readString(labKnownHosts)

        when: 'accepted explicitly'
        def r = SshRunner.connect('zh3', settings.acceptingNewHostKeys(true))

        then: 'it connects, says so, and the key is written'
        connection(r) == ['10.77.0.1', '10.77.0.13']
        r.notices() == ["accepted the new host key of zh3 (root@10.77.0.13:22), ssh-ed25519 ${fingerprintOf(3)}, and added it to $known".toString()]
        Files.readAllLines(known).last() == "10.77.0.13 ssh-ed25519 ${publicKeyOf(3)}".toString()

        when: 'a later connection, without the flag'
        r.close()
        def again = SshRunner.connect('zh3', settings)

        then:
        connection(again) == ['10.77.0.1', '10.77.0.13']
        again.notices().isEmpty()

        cleanup:
        r?.close()
        again?.close()
    }

    def "the CLI: --ssh alias from --ssh-config, --known-hosts, and --accept-new-host-key that says what it wrote"() {
        given: 'a known_hosts that knows the lab only'
        def known = scratch.resolve('known_hosts-cli')
        Files.writeString(known, Files.readString(labKnownHosts))

        when:
        def refused = com.zed.support.ZedProcess.run([:], 'selftest', '--ssh', 'zh3', '--pool', 'zh3',
                '--ssh-config', LabHosts.sshConfig().toString(), '--known-hosts', known.toString())

        then:
        refused.code != 0
        refused.out.contains("zed: host key of zh3 (root@10.77.0.13:22) is not known: it offers ssh-ed25519 ${fingerprintOf(3)}")

        when:
        def accepted = com.zed.support.ZedProcess.run([:], 'selftest', '--ssh', 'zh3', '--pool', 'zh3',
                '--ssh-config', LabHosts.sshConfig().toString(), '--known-hosts', known.toString(), '--accept-new-host-key')

        then:
        accepted.code == 0
        accepted.out.contains("zed: accepted the new host key of zh3 (root@10.77.0.13:22), ssh-ed25519 ${fingerprintOf(3)}, and added it to $known")
        accepted.out.contains('14 steps, 0 failed')
        Files.readAllLines(known).last() == "10.77.0.13 ssh-ed25519 ${publicKeyOf(3)}".toString()
    }

    def "a passphrase-protected key is used through a real ssh-agent"() {
        given: 'a key with a passphrase, authorized in the lab (and so in every namespace host)'
        Path dir = Files.createDirectory(scratch.resolve('agent'))
        Path key = dir.resolve('id_pass')
        exec(['ssh-keygen', '-q', '-t', 'ed25519', '-N', 'correct horse', '-C', 'zed-agent-spec', '-f', key.toString()])
        String pub = Files.readString(dir.resolve('id_pass.pub')).trim()
        String authorized = runner.run(['cat', '/root/.ssh/authorized_keys']).stdout()
        write('/root/.ssh/authorized_keys', authorized + (authorized.endsWith('\n') ? '' : '\n') + pub + '\n')

        and: 'an agent of our own, still empty'
        Path sock = dir.resolve('agent.sock')
        String agentOut = exec(['ssh-agent', '-a', sock.toString(), '-s'])
        long agentPid = (agentOut =~ /SSH_AGENT_PID=(\d+)/)[0][1] as long

        and: 'zh2 reached with only that key file (its private half encrypted) and the agent'
        def cfg = config('agent-config', """\
            Host lab
                HostName 127.0.0.1
                Port ${Lab.target().get().port()}
                User root
                IdentityFile ${LabHosts.key()}
                UserKnownHostsFile $labKnownHosts
            Host zh2
                HostName 10.77.0.12
                User root
                IdentityFile $key
                UserKnownHostsFile ${LabHosts.knownHosts()}
                ProxyJump lab
            """.stripIndent())
        def settings = new SshSettings(cfg, null, null, false).withAgentSocket(sock)

        when: 'the agent does not hold the key yet'
        SshRunner.connect('zh2', settings)

        then: 'the encrypted file alone cannot log in'
        def e = thrown(SshRunner.SshException)
        e.message.startsWith('cannot log in to zh2 (root@10.77.0.12:22) by public key')
        e.message.contains("skipped $key (passphrase-protected)")
        e.message.contains("ssh-agent at $sock with 0 key(s)")

        when: 'ssh-add unlocks it into the agent, with the passphrase from SSH_ASKPASS'
        Path askpass = dir.resolve('askpass')
        Files.writeString(askpass, "#!/bin/sh\necho 'correct horse'\n")
        askpass.toFile().setExecutable(true, true)
        exec(['ssh-add', key.toString()], [SSH_AUTH_SOCK: sock.toString(), SSH_ASKPASS: askpass.toString(),
                                            SSH_ASKPASS_REQUIRE: 'force', DISPLAY: 'none'])
        def r = SshRunner.connect('zh2', settings)

        then:
        connection(r) == ['10.77.0.1', '10.77.0.12']

        cleanup:
        r?.close()
        if (agentPid) {
            exec(['kill', String.valueOf(agentPid)])
        }
        if (authorized != null) {
            write('/root/.ssh/authorized_keys', authorized)
        }
    }

    def "hostile arguments reach a namespace host byte for byte through the jump"() {
        given:
        def r = LabHosts.runner('zh2')
        def expected = ShellQuoteSpec.NASTY.collect { it.getBytes('UTF-8').encodeHex().toString() + '00' }.join('')

        when: 'the remote side prints each argument NUL-terminated, as hex bytes'
        def hex = r.run(['sh', '-c', 'printf "%s\\0" "$@" | od -An -v -tx1', 'sh'] + ShellQuoteSpec.NASTY)
        def count = r.run(['sh', '-c', 'echo $#', 'sh'] + ShellQuoteSpec.NASTY)
        def text = r.run(['printf', '%s\\0'] + ShellQuoteSpec.NASTY)

        then:
        hex.ok()
        hex.stdout().replaceAll(/\s/, '') == expected
        count.stdout() == "${ShellQuoteSpec.NASTY.size()}\n"
        text.stdout().split('\u0000', -1).toList().dropRight(1) == ShellQuoteSpec.NASTY

        cleanup:
        r?.close()
    }

    def "one session carries every command; a new one is made only after close"() {
        given:
        def r = LabHosts.runner('zh1')
        // the per-connection sshd process: the first sshd among the command's ancestors
        def sshdPid = ['sh', '-c', 'p=$$; while [ "$p" -gt 1 ] && [ "$(ps -o comm= -p "$p")" != sshd ]; do p=$(ps -o ppid= -p "$p" | tr -d " "); done; echo "$p"']

        when:
        def pids = (1..20).collect { r.run(sshdPid).stdout().trim() } as Set

        then:
        pids.size() == 1
        pids.first() ==~ /[0-9]+/ && pids.first() != '1'
        r.connections() == 2

        when:
        r.close()
        def after = r.run(sshdPid).stdout().trim()

        then: 'a new connection (lab and zh1 again), served by another sshd process'
        after != pids.first()
        r.connections() == 4

        cleanup:
        r?.close()
    }

    def "a host that stops answering is given up after ServerAliveInterval x ServerAliveCountMax, and the next command reconnects"() {
        given: 'keepalive every second, two misses allowed'
        def cfg = config('alive', """\
            Include ${LabHosts.sshConfig()}
            Host zh2
                ServerAliveInterval 1
                ServerAliveCountMax 2
            """.stripIndent())
        def r = SshRunner.connect('zh2', new SshSettings(cfg, null, null, false).withAgentSocket(SshSettings.NO_AGENT))
        def sshdPid = ['sh', '-c', 'p=$$; while [ "$p" -gt 1 ] && [ "$(ps -o comm= -p "$p")" != sshd ]; do p=$(ps -o ppid= -p "$p" | tr -d " "); done; echo "$p"']
        String frozen = r.run(sshdPid).stdout().trim()
        assert frozen ==~ /[0-9]+/ && frozen != '1'

        when: "zh2's sshd process for this connection is frozen, and we wait longer than 1 s x (2 + 1)"
        assert runner.run(['kill', '-STOP', frozen]).ok()
        Thread.sleep(6_000)
        def next = r.run(sshdPid, Timeouts.Kind.READ)

        then: 'the dead session was noticed and dropped: the command ran on a new connection'
        next.ok()
        next.stdout().trim() != frozen
        r.connections() == 4

        cleanup:
        if (frozen) {
            runner.run(['kill', '-KILL', frozen])
        }
        r?.close()
    }

    static String exec(List<String> argv, Map<String, String> env = [:]) {
        def pb = new ProcessBuilder(argv).redirectErrorStream(true)
        pb.environment().putAll(env)
        pb.redirectInput(ProcessBuilder.Redirect.from(new File('/dev/null')))
        def p = pb.start()
        String out = p.inputStream.getText('UTF-8')
        assert p.waitFor() == 0, "${argv.join(' ')}: $out"
        out
    }
}
