package com.zed.cli

import spock.lang.Specification

class CliSpec extends Specification {

    static Map run(String... args) {
        def out = new StringWriter()
        def err = new StringWriter()
        def cl = Main.commandLine()
        cl.out = new PrintWriter(out)
        cl.err = new PrintWriter(err)
        int code = cl.execute(args)
        [code: code, out: out.toString(), err: err.toString()]
    }

    def "--version names zed and its version"() {
        when:
        def r = run('--version')

        then:
        r.code == 0
        r.out =~ /^zed \d+\.\d+\.\d+/
    }

    def "--help lists the commands"() {
        when:
        def r = run('--help')

        then:
        r.code == 0
        r.out.contains('Usage: zed')
        r.out.contains('selftest')
    }

    def "--help lists every command and the exit codes"() {
        when:
        def r = run('--help')

        then:
        ['run', 'diff', 'validate', 'rollback', 'status', 'history', 'selftest', 'man', 'generate-completion'].every { r.out.contains(it) }
        r.out.contains('3 apply failed and was rolled back')
    }

    def "zed man prints a roff page generated from the same model as --help"() {
        when:
        def r = run('man')

        then:
        r.code == 0
        r.out.startsWith('.TH ZED 1 ')
        r.out.contains('.SS "zed run SCRIPT"')
        r.out.contains('.SS "zed rollback SCRIPT"')
        r.out.contains('\\fB\\-\\-destroy\\-newer\\fR')
        r.out.contains('.SH "EXIT STATUS"')
    }

    def "the man page renders with man(1) when it is installed"() {
        given:
        def page = File.createTempFile('zed', '.1')
        page.text = run('man').out
        def man = ['sh', '-c', 'command -v man'].execute().text.trim()

        expect:
        // man(1) marks bold by overstriking; col -b takes the backspaces out
        man.isEmpty() || ['sh', '-c', 'MANWIDTH=100 man -l "$1" | col -b', 'sh', page.path].execute().text.contains('--destroy-newer')

        cleanup:
        page.delete()
    }

    def "bash completion is generated from the command model"() {
        when:
        def r = run('generate-completion')

        then:
        r.code == 0
        r.out.contains('complete -F')
        r.out.contains('rollback')
    }

    def "an unknown option is a usage error with exit code 64"() {
        when:
        def r = run('--frobnicate')

        then:
        r.code == Main.USAGE
        r.err.contains("Unknown option: '--frobnicate'")
    }

    def "the lab check explains what is missing: #what"() {
        given:
        def dir = com.zed.support.ScratchDir.create('cli').toFile()
        setup(dir)

        expect:
        Lab.whyNot(dir.toPath()).contains(expected)

        cleanup:
        com.zed.support.ScratchDir.delete(dir.toPath())

        where:
        what                 | setup                                                              | expected
        'no pid file'        | { File d -> }                                                      | 'no lab VM is running'
        'dead pid'           | { File d -> new File(d, 'qemu.pid').text = '999999999' }           | 'is not running; start it with scripts/lab up'
        'not a lab run dir'  | { File d -> new File(d, 'qemu.pid').text = "${ProcessHandle.current().pid()}" } | "has no 'port'"
    }

    def "--lab and --ssh together are refused"() {
        when:
        def r = run('selftest', '--lab', '--ssh', 'root@host')

        then:
        r.code == Main.USAGE
        r.err.contains('--lab and --ssh are alternatives')
    }

    def "--ssh wants an alias or [user@]host[:port]"() {
        when:
        def r = run('selftest', '--ssh', 'not a target', '--ssh-config', '/dev/null')

        then:
        r.code == Main.USAGE
        r.err.contains("--ssh not a target: not an SSH host: 'not a target' (want an alias from the SSH config, or [user@]host[:port])")
    }

    def "--ssh-config is the file --ssh reads its host from"() {
        given:
        def dir = com.zed.support.ScratchDir.create('cli-ssh')
        def cfg = dir.resolve('config')
        java.nio.file.Files.writeString(cfg, 'Host behind-a-command\n    ProxyCommand nc %h %p\n')

        when:
        def r = run('selftest', '--ssh', 'behind-a-command', '--ssh-config', cfg.toString())

        then:
        r.code == Main.USAGE
        r.err.contains('--ssh behind-a-command: SSH config: behind-a-command uses ProxyCommand, which Zed does not run; use ProxyJump instead')

        cleanup:
        com.zed.support.ScratchDir.delete(dir)
    }
}
