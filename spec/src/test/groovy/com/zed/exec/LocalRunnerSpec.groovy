package com.zed.exec

import spock.lang.Specification

class LocalRunnerSpec extends Specification {
    def runner = new LocalRunner()

    def "runs an argument array without a shell and collects output, errors and exit code"() {
        when:
        def r = runner.run(['sh', '-c', 'printf "%s|" "$@"; echo oops >&2; exit 3', 'sh', 'a b', '$(x)', '*'])

        then:
        r.exitCode() == 3
        r.stdout() == 'a b|$(x)|*|'
        r.stderr() == 'oops\n'
        !r.ok()
        r.argv()[0] == 'sh'
    }

    def "feeds stdin"() {
        expect:
        runner.run(['cat'], 'hello\n'.bytes).stdout() == 'hello\n'
    }

    def "large output on both streams does not deadlock"() {
        when:
        def r = runner.run(['sh', '-c', 'head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2'])

        then:
        r.ok()
        r.stdout().length() == 1_000_000
        r.stderr().length() == 1_000_000
    }

    def "a missing program is a CommandNotFoundException naming it"() {
        when:
        runner.run(['no-such-program-zed'])

        then:
        def e = thrown(CommandNotFoundException)
        e.program() == 'no-such-program-zed'
    }
}
