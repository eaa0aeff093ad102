package com.zed.exec

import com.zed.cli.Lab
import com.zed.support.LabSpecification
import com.zed.zfs.ZfsCli
import com.zed.zfs.ZfsException

import java.nio.file.Files

/** The SSH runner against the lab's real sshd: quoting, exit codes, host keys. */
class SshRunnerLiveSpec extends LabSpecification {

    def "arguments arrive on the remote side exactly as given"() {
        when:
        def r = runner.run(['printf', '%s\\0'] + ShellQuoteSpec.NASTY)

        then:
        r.ok()
        r.stdout().split('\u0000', -1).toList().dropRight(1) == ShellQuoteSpec.NASTY
    }

    def "exit code, stdout and stderr come back separately"() {
        when:
        def r = runner.run(['sh', '-c', 'echo out; echo err >&2; exit 7'])

        then:
        r.exitCode() == 7
        r.stdout() == 'out\n'
        r.stderr() == 'err\n'
    }

    def "a host whose key is not the pinned one is refused"() {
        given:
        def real = Lab.target().get()
        def wrong = Files.createTempFile('known_hosts', '')
        def other = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'
        Files.writeString(wrong, "[127.0.0.1]:${real.port()} ssh-ed25519 $other\n")
        def bad = new SshRunner(new SshTarget(real.user(), real.host(), real.port(), real.identity(), wrong))

        when:
        bad.run(['true'])

        then:
        def e = thrown(SshRunner.SshException)
        e.message.toLowerCase().contains('hostkey') || e.message.toLowerCase().contains('host key')

        cleanup:
        bad?.close()
        Files.deleteIfExists(wrong)
    }

    def "a host that is not in known_hosts at all is refused"() {
        given:
        def real = Lab.target().get()
        def empty = Files.createTempFile('known_hosts', '')
        def bad = new SshRunner(new SshTarget(real.user(), real.host(), real.port(), real.identity(), empty))

        when:
        bad.run(['true'])

        then:
        thrown(SshRunner.SshException)

        cleanup:
        bad?.close()
        Files.deleteIfExists(empty)
    }

    def "a remote host without the zfs binary gives the tools-missing message"() {
        when:
        new ZfsCli(runner, 'zfs-not-installed', {}).version()

        then:
        def e = thrown(ZfsException.ZfsToolsMissingException)
        e.message.startsWith('ZFS tools not found')
    }

    def "a streaming command can be fed and read at once"() {
        when:
        def r = runner.run(['sha256sum'], ('x' * 1_000_000).bytes)

        then:
        r.ok()
        r.stdout().startsWith(('x' * 1_000_000).bytes.digest('SHA-256'))
    }

    def "a command past its timeout is killed on the target with its children, and reported with command and timeout"() {
        when: 'a shell that waits on a child: killing the shell alone would leave the child running'
        long t0 = System.nanoTime()
        runner.run(['sh', '-c', 'sleep 41.5 & wait'], null, java.time.Duration.ofMillis(400))

        then:
        def e = thrown(CommandTimeoutException)
        (System.nanoTime() - t0) >= 400_000_000L
        e.message == "command timed out after 400 ms and was killed: sh -c sleep 41.5 & wait (${runner.describe()})".toString()
        e.where() == runner.describe()

        and: 'the whole process group is gone'
        gone('sleep 41.5')
    }

    def "stdout and stderr are exactly the command's (the PID line Zed uses to kill is taken off stderr)"() {
        when:
        def r = runner.run(['sh', '-c', 'printf 12345; printf 678 >&2'])

        then:
        r.stdout() == '12345'
        r.stderr() == '678'
    }

    def "a command within its timeout is not disturbed, and the session stays usable after a kill"() {
        expect:
        runner.run(['sleep', '0.2'], com.zed.exec.Timeouts.Kind.READ).ok()
        runner.run(['true']).ok()
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
