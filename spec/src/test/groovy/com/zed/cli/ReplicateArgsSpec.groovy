package com.zed.cli

import spock.lang.Specification

/** zed replicate's [HOST:]POOL/DATASET arguments, and its registration. */
class ReplicateArgsSpec extends Specification {

    def "#text → host #host, dataset #ds"() {
        when:
        def l = ReplicateCommand.Location.parse(text)

        then:
        l.host() == host
        l.dataset().value() == ds

        where:
        text                               || host                 | ds
        'jeff/apps/a'                      || null                 | 'jeff/apps/a'
        'lab:backup/a'                     || 'lab'                | 'backup/a'
        'root@10.0.0.2:backup/a'           || 'root@10.0.0.2'      | 'backup/a'
        'root@10.0.0.2:2222:backup/a'      || 'root@10.0.0.2:2222' | 'backup/a'
        'dr:backup/a'                      || 'dr'                 | 'backup/a'
        'zh2:2222:zh2/a'                   || 'zh2:2222'           | 'zh2/a'
    }

    def "refused: #text"() {
        when:
        ReplicateCommand.Location.parse(text)

        then:
        thrown(IllegalArgumentException)

        where:
        text << ['backup', '-oProxyCommand=x:backup/a', 'r oot@h:backup/a', 'lab:backup', 'lab:', 'root@h:99999999:backup/a', 'jeff/a@snap']
    }

    def "zed replicate is a registered command, and bad arguments are usage errors (64)"() {
        given:
        def cl = Main.commandLine()
        def err = new StringWriter()
        cl.setErr(new PrintWriter(err))

        expect:
        cl.subcommands.containsKey('replicate')
        cl.execute('replicate', 'jeff/a', 'jeff/a/b') == Main.USAGE
        err.toString().contains('overlap')
        cl.execute('replicate', 'backup', 'jeff/x') == Main.USAGE
        cl.execute('replicate', 'jeff/a', 'jeff/b', '--keep', '0') == Main.USAGE
    }
}
