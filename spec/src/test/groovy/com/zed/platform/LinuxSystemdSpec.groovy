package com.zed.platform

import spock.lang.Specification

/** What Zed writes for systemd: unit files and environment files, quoted so nothing is reinterpreted. */
class LinuxSystemdSpec extends Specification {

    def "a unit runs the release from current, with its environment file, restarting on failure"() {
        when:
        def unit = LinuxSystemd.unit(new ServiceSpec('zed-tiny', 'Zed app tiny', '/jeff/apps/tiny/current',
                ['/usr/bin/env', 'ERL_AFLAGS=-kernel inet_dist_listen_min 9100 inet_dist_listen_max 9100',
                 '/jeff/apps/tiny/current/bin/tiny', 'start'], []))

        then:
        unit.contains('WorkingDirectory=/jeff/apps/tiny/current\n')
        unit.contains('EnvironmentFile=/etc/zed/zed-tiny.env\n')
        unit.contains('ExecStart="/usr/bin/env" "ERL_AFLAGS=-kernel inet_dist_listen_min 9100 inet_dist_listen_max 9100" "/jeff/apps/tiny/current/bin/tiny" "start"\n')
        unit.contains('Restart=on-failure\n')
        !unit.contains('ExecStop=')
        unit.contains('WantedBy=multi-user.target')
    }

    def "unit arguments are quoted for systemd: #what"() {
        expect:
        LinuxSystemd.quoteArg(arg) == quoted

        where:
        what                   | arg              | quoted
        'plain'                | 'start'          | '"start"'
        'space'                | 'a b'            | '"a b"'
        'double quote'         | 'say "hi"'       | '"say \\"hi\\""'
        'backslash'            | 'a\\b'           | '"a\\\\b"'
        'specifier %'          | '100%'           | '"100%%"'
        'variable $'           | '$HOME'          | '"$$HOME"'
    }

    def "a path setting is verbatim but for %, and must be absolute"() {
        expect:
        LinuxSystemd.path('/jeff/apps/50%/current') == '/jeff/apps/50%%/current'

        when:
        LinuxSystemd.path('relative/dir')

        then:
        thrown(IllegalArgumentException)
    }

    def "environment files quote values and keep secrets' characters intact"() {
        expect:
        LinuxSystemd.environment([RELEASE_COOKIE: 'c$o"o\\kie', A: 'plain', B: 'with space']) ==
                'A="plain"\nB="with space"\nRELEASE_COOKIE="c\\$o\\"o\\\\kie"\n'
    }

    def "environment entries systemd could misread are refused: #what"() {
        when:
        LinuxSystemd.environment(env)

        then:
        thrown(IllegalArgumentException)

        where:
        what                | env
        'newline in value'  | [A: 'x\ny']
        'NUL in value'      | [A: 'x\u0000y']
        'bad name'          | ['A-B': 'x']
        'name with space'   | ['A B': 'x']
    }

    def "newlines never reach a unit argument"() {
        when:
        LinuxSystemd.quoteArg('a\nExecStartPre=/bin/evil')

        then:
        thrown(IllegalArgumentException)
    }
}
