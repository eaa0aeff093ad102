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
            'mountpoint=/opt/exmc', 'jeff/apps@zed-1', '%1', '\u00a0nbsp',
            'two\nlines', '\n', 'ends with newline\n', 'cr\rlf\r\n', "quote'\nnewline", '\t', '-n', '-e', '-',
            '日本語', 'emoji \uD83D\uDE00', '\u0001\u007f', "'", '"', '$', '\\n'
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

    def "an argument with a NUL byte is refused: #what"() {
        when:
        ShellQuote.quote(arg)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('NUL byte')

        where:
        arg              | what
        'a\u0000b'       | 'inside'
        '\u0000'         | 'alone'
        'line\n\u0000'   | 'after a newline'
    }

    def "a newline stays inside the quotes, so the shell sees one word: #what"() {
        expect:
        ShellQuote.quote(arg) == quoted

        where:
        arg          | quoted            | what
        'a\nb'       | "'a\nb'"          | 'newline'
        'a\rb'       | "'a\rb'"          | 'carriage return'
        "x'\n"       | "'x'\\''\n'"     | 'quote then newline'
    }
}
