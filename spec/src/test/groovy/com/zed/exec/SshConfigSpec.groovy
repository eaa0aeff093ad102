package com.zed.exec

import com.zed.support.ScratchDir
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/** Reading OpenSSH client configuration (ssh_config(5)) and the routes it makes. */
class SshConfigSpec extends Specification {
    static final Path SSH = Path.of('/home/op/.ssh')
    static final String HOME = System.getProperty('user.home')
    static final String ME = System.getProperty('user.name')

    static final String CONFIG = '''\
        # operators' config
        Host db1 db2
            HostName %h.prod.example
            User deploy
            Port 2222
            IdentityFile ~/.ssh/prod_ed25519
        Host db*
            User nobody
            IdentityFile ~/.ssh/id_%r_%p
            ServerAliveInterval 20
        Host bastion
            HostName=bastion.example
            User = jump
            ConnectTimeout 5
            ServerAliveCountMax 5
        Host *.lan !printer.lan
            ProxyJump bastion
            UserKnownHostsFile "/etc/zed/known hosts" ~/.ssh/lan_hosts
        Host quoted
            IdentityFile "/keys/with space/id"
            HostKeyAlias quoted-alias
            HashKnownHosts yes
            IdentitiesOnly yes
            IdentityAgent none
        Match all
            ServerAliveInterval 1m30s
        '''.stripIndent()

    def "#host: #what"() {
        given:
        def h = SshConfig.parse(CONFIG, SSH).resolve(host, null, 0)

        expect:
        h."$field"() == value

        where:
        host          | field                 | value                                                      | what
        'db1'         | 'hostName'            | 'db1.prod.example'                                         | '%h in HostName is the name given'
        'db1'         | 'user'                | 'deploy'                                                   | 'the first User that applies wins'
        'db1'         | 'port'                | 2222                                                       | 'Port'
        'db1'         | 'identityFiles'       | ["$HOME/.ssh/prod_ed25519", "$HOME/.ssh/id_deploy_2222"]*.toString() | 'IdentityFiles add up, in order, ~ and tokens expanded'
        'db1'         | 'serverAliveInterval' | Duration.ofSeconds(20)                                     | 'keepalive from the first block that sets it'
        'db9'         | 'hostName'            | 'db9'                                                      | 'no HostName: the name itself'
        'db9'         | 'user'                | 'nobody'                                                   | 'a wildcard block'
        'db9'         | 'port'                | 22                                                         | 'default port'
        'bastion'     | 'hostName'            | 'bastion.example'                                          | 'Key=value'
        'bastion'     | 'user'                | 'jump'                                                     | 'Key = value'
        'bastion'     | 'connectTimeout'      | Duration.ofSeconds(5)                                      | 'ConnectTimeout'
        'bastion'     | 'serverAliveCountMax' | 5                                                          | 'ServerAliveCountMax'
        'bastion'     | 'serverAliveInterval' | Duration.ofSeconds(90)                                     | 'Match all applies to every host; times with units'
        'bastion'     | 'proxyJump'           | []                                                         | 'no ProxyJump'
        'nas.lan'     | 'proxyJump'           | ['bastion']                                                | 'a pattern block'
        'nas.lan'     | 'knownHostsFiles'     | ['/etc/zed/known hosts', "$HOME/.ssh/lan_hosts".toString()] | 'several UserKnownHostsFiles, quoted'
        'printer.lan' | 'proxyJump'           | []                                                         | 'a negated pattern rules the block out'
        'NAS.LAN'     | 'proxyJump'           | ['bastion']                                                | 'patterns ignore case'
        'nas.lan'     | 'user'                | ME                                                         | 'no User: the local user'
        'quoted'      | 'identityFiles'       | ['/keys/with space/id']                                    | 'a quoted value keeps its space'
        'quoted'      | 'hostKeyAlias'        | 'quoted-alias'                                             | 'HostKeyAlias'
        'quoted'      | 'hashKnownHosts'      | true                                                       | 'HashKnownHosts'
        'quoted'      | 'identitiesOnly'      | true                                                       | 'IdentitiesOnly'
        'quoted'      | 'identityAgent'       | 'none'                                                     | 'IdentityAgent'
        'db1'         | 'identityAgent'       | null                                                       | 'IdentityAgent not set'
    }

    def "what is given on the command line beats the config"() {
        when:
        def h = SshConfig.parse(CONFIG, SSH).resolve('db1', 'root', 22)

        then:
        h.user() == 'root'
        h.port() == 22
        h.identityFiles() == ["$HOME/.ssh/prod_ed25519", "$HOME/.ssh/id_root_22"]*.toString()
    }

    def "an unsupported Match block never applies and is reported; the lines after it are its own"() {
        given:
        def c = SshConfig.parse('''\
            Host a
                User first
            Match exec "true"
                User matched
                Port 2200
            Host b
                Port 2201
            '''.stripIndent(), SSH)

        expect:
        c.resolve('a', null, 0).user() == 'first'
        c.resolve('a', null, 0).port() == 22
        c.resolve('b', null, 0).port() == 2201
        c.warnings() == ["config:3: 'Match exec true' is not evaluated by Zed; that block is ignored"]
    }

    def "Include reads files in place, globbed, relative to ~/.ssh, inside the block it stands in"() {
        given:
        def dir = ScratchDir.create('sshconfig')
        Files.createDirectories(dir.resolve('config.d'))
        Files.writeString(dir.resolve('config.d/10-db'), 'Host db\n    HostName db.example\n')
        Files.writeString(dir.resolve('config.d/20-web'), 'Host web\n    HostName web.example\n')
        Files.writeString(dir.resolve('inner'), 'User from-include\n')
        Files.writeString(dir.resolve('config'), '''\
            Host shell
                Include inner
            Include config.d/*
            Host web
                HostName not-this-one
            '''.stripIndent())

        when:
        def c = SshConfig.load(dir.resolve('config'), dir)

        then:
        c.resolve('db', null, 0).hostName() == 'db.example'
        c.resolve('web', null, 0).hostName() == 'web.example'
        c.resolve('shell', null, 0).user() == 'from-include'
        c.resolve('db', null, 0).user() == ME

        cleanup:
        ScratchDir.delete(dir)
    }

    def "a config that cannot be used says where: #what"() {
        when:
        SshConfig.parse(text, SSH).resolve('h', null, 0)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(message)

        where:
        text                                   | message                                                    | what
        'Host h\n  User\n'                     | "config:2: 'user' has no value"                            | 'no value'
        'Host h\n  IdentityFile "/a b\n'       | 'config:2: unbalanced double quote'                        | 'quote'
        'Host h\n  Port http\n'                | "port must be a number, not 'http'"                        | 'port'
        'Host h\n  Port 70000\n'               | 'Port of h out of range: 70000'                            | 'port range'
        'Host h\n  ServerAliveInterval 5x\n'   | "ServerAliveInterval must be a time (e.g. 30 or 1m), not '5x'" | 'time'
        'Host h\n  ProxyCommand nc %h %p\n'    | 'h uses ProxyCommand, which Zed does not run; use ProxyJump instead' | 'ProxyCommand'
        'Host h\n  IdentityFile ~/%q\n'        | 'unknown token %q'                                         | 'token'
    }

    def "#spec is user #user, host #host, port #port"() {
        expect:
        SshRoute.Spec.parse(spec) == new SshRoute.Spec(user, host, port)

        where:
        spec                        | user     | host          | port
        'db1'                       | null     | 'db1'         | 0
        'root@db1'                  | 'root'   | 'db1'         | 0
        'root@db1:2222'             | 'root'   | 'db1'         | 2222
        'db1.example.com:22'        | null     | 'db1.example.com' | 22
        'ssh://ops@10.0.0.5:2200'   | 'ops'    | '10.0.0.5'    | 2200
        '[::1]:2222'                | null     | '::1'         | 2222
        'deploy@[fe80::1%eth0]'     | 'deploy' | 'fe80::1%eth0' | 0
    }

    def "'#spec' is not a host"() {
        when:
        SshRoute.Spec.parse(spec)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "not an SSH host: '$spec' (want an alias from the SSH config, or [user@]host[:port])"

        where:
        spec << ['', 'not a host', 'root@', '@db1', 'db1:0', 'db1:99999', 'db1:x', '[::1', 'a;b', 'db1 -oProxyCommand=x']
    }
}
