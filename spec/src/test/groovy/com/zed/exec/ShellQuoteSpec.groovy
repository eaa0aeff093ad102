package com.zed.exec

import spock.lang.Specification

/**
 * The SSH runner sends one command line built by ShellQuote; these specs hand that line to
 * real shells (dash as /bin/sh, and bash) and check every argument arrives byte for byte.
 */
class ShellQuoteSpec extends Specification {
    static final List<String> NASTY = [
            'plain', 'with space', "it's", "''", '"double"', '$HOME', '${HOME}', '$(reboot)', '`reboot`',
            'a;b', 'a&&b', 'a|b', 'a>b', '<in', '*', '?', '[a-z]', '~', '~root', '#comment', 'back\\slash',
            '\\', "tab\there", '-o', '--', 'x=y', 'ünïcödé', '!', '!!', '{a,b}', 'a\'b"c$d`e\\f', ' ', '',
            'mountpoint=/opt/exmc', 'jeff/apps@zed-1', '%1', '\u00a0nbsp'
    ]

    def "every argument reaches #shell unchanged"() {
        given:
        def argv = ['printf', '%s\\0'] + NASTY
        def line = ShellQuote.join(argv)

        when:
        def r = new LocalRunner().run([shell, '-c', line])

        then:
        r.ok()
        r.stdout().split('\u0000', -1).toList().dropRight(1) == NASTY

        where:
        shell << ['/bin/sh', 'bash', 'dash']
    }

    def "a word that needs no quoting stays readable"() {
        expect:
        ShellQuote.join(['zfs', 'get', '-H', '-p', 'all', 'jeff/apps@zed-1']) == 'zfs get -H -p all jeff/apps@zed-1'
        ShellQuote.quote('compression=lz4') == "'compression=lz4'"
        ShellQuote.quote('') == "''"
        ShellQuote.quote("it's") == "'it'\\''s'"
    }

    def "arguments no remote shell can carry are refused: #what"() {
        when:
        ShellQuote.quote(arg)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('NUL or newline')

        where:
        arg          | what
        'a\nb'       | 'newline'
        'a\rb'       | 'carriage return'
        'a\u0000b'   | 'NUL'
    }
}
