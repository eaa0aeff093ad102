package com.zed.exec

import spock.lang.Specification

import java.nio.file.Path
import java.time.Duration

/** The hops to a host, from the config and the settings: jump chains, and what each hop uses. */
class SshRouteSpec extends Specification {
    static final Path SSH = SshSettings.sshDir()

    static final SshConfig CONFIG = SshConfig.parse('''\
        Host lab
            HostName 127.0.0.1
            Port 26420
            User root
            IdentityFile /lab/id_ed25519
            UserKnownHostsFile /lab/known_hosts
        Host zh1 zh2 zh3
            User root
            IdentityFile /lab/id_ed25519
            UserKnownHostsFile /lab/hosts/known_hosts
            ProxyJump lab
        Host zh1
            HostName 10.77.0.11
        Host zh2
            HostName 10.77.0.12
        Host zh3
            HostName 10.77.0.13
        Host far
            HostName 10.77.0.13
            ProxyJump zh1
        Host comma
            HostName 10.77.0.13
            ProxyJump lab,zh2
        Host loop1
            ProxyJump loop2
        Host loop2
            ProxyJump loop1
        Host none
            ProxyJump none
        '''.stripIndent(), SSH)

    static final SshSettings PLAIN = new SshSettings(null, null, null, false)

    List<String> hops(String spec, SshSettings s = PLAIN, Map env = [:]) {
        SshRoute.resolve(spec, s, CONFIG, env).collect { "${it.user()}@${it.host()}:${it.port()}".toString() }
    }

    def "#spec goes #route"() {
        expect:
        hops(spec) == route

        where:
        spec               | route
        'lab'              | ['root@127.0.0.1:26420']
        'zh2'              | ['root@127.0.0.1:26420', 'root@10.77.0.12:22']
        'far'              | ['root@127.0.0.1:26420', 'root@10.77.0.11:22', "${System.getProperty('user.name')}@10.77.0.13:22".toString()]
        'comma'            | ['root@127.0.0.1:26420', 'root@10.77.0.12:22', "${System.getProperty('user.name')}@10.77.0.13:22".toString()]
        'ops@db9:2200'     | ['ops@db9:2200']
        'admin@zh3'        | ['root@127.0.0.1:26420', 'admin@10.77.0.13:22']
        'none'             | ["${System.getProperty('user.name')}@none:22".toString()]
    }

    def "a ProxyJump that goes round in circles is refused"() {
        when:
        hops('loop1')

        then:
        def e = thrown(IllegalArgumentException)
        e.message.startsWith('ProxyJump goes round in circles or is too long: loop1 -> loop2 -> loop1')
    }

    def "each hop has its own key and known_hosts from the config, and a label that names it"() {
        when:
        def route = SshRoute.resolve('zh2', PLAIN, CONFIG, [:])

        then:
        route*.label() == ['lab (root@127.0.0.1:26420)', 'zh2 (root@10.77.0.12:22)']
        route*.identities() == [[Path.of('/lab/id_ed25519')], [Path.of('/lab/id_ed25519')]]
        route*.knownHosts() == [[Path.of('/lab/known_hosts')], [Path.of('/lab/hosts/known_hosts')]]
        route*.keyName() == ['[127.0.0.1]:26420', '10.77.0.12']
        route*.serverAlive() == [Duration.ofSeconds(15)] * 2
        route*.connectTimeout() == [Duration.ofSeconds(10)] * 2
    }

    def "settings beat the config, like ssh's command-line options"() {
        given:
        def s = new SshSettings(null, Path.of('/mine/known_hosts'), Path.of('/mine/id'), false,
                Path.of('/run/agent.sock'), Duration.ofSeconds(3), null)

        when:
        def route = SshRoute.resolve('zh2', s, CONFIG, [SSH_AUTH_SOCK: '/env/agent'])

        then:
        route*.knownHosts() == [[Path.of('/mine/known_hosts')]] * 2
        route*.identities() == [[Path.of('/mine/id'), Path.of('/lab/id_ed25519')]] * 2
        route*.agentSocket() == [Path.of('/run/agent.sock')] * 2
        route*.connectTimeout() == [Duration.ofSeconds(3)] * 2
    }

    def "without config: OpenSSH's default keys and known_hosts, and the agent from SSH_AUTH_SOCK (#env)"() {
        when:
        def hop = SshRoute.resolve('db1', PLAIN, SshConfig.empty(), env).first()

        then:
        hop.identities() == ['id_ed25519', 'id_ecdsa', 'id_rsa'].collect { SSH.resolve(it) }
        hop.knownHosts() == [SSH.resolve('known_hosts'), SSH.resolve('known_hosts2')]
        hop.agentSocket() == agent
        hop.label() == "${System.getProperty('user.name')}@db1:22"

        where:
        env                         | agent
        [:]                         | null
        [SSH_AUTH_SOCK: '']         | null
        [SSH_AUTH_SOCK: '/tmp/a.s'] | Path.of('/tmp/a.s')
    }

    def "no agent when the settings say none, whatever the environment says"() {
        expect:
        SshRoute.resolve('db1', PLAIN.withAgentSocket(SshSettings.NO_AGENT), SshConfig.empty(), [SSH_AUTH_SOCK: '/tmp/a.s'])
                .first().agentSocket() == null
    }
}
