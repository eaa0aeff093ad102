package com.zed.cluster

import com.zed.support.ScratchDir
import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * Discovery over real mDNS multicast, in a network namespace of this machine made for the spec (only
 * its loopback, multicast on, 224.0.0.0/4 routed to it) and deleted afterwards. A JVM cannot enter a
 * namespace, so both sides are child JVMs run with {@code ip netns exec}: one announces Zed services with
 * jmdns, the other is {@code zed discover --json} (and {@code zed diff} on a cluster that discovers).
 * Needs root and iproute2's {@code ip}, not the ZFS lab.
 */
@Stepwise
@Requires(value = { MdnsDiscoverySpec.runnable() }, reason = 'needs root and iproute2 (ip netns) to make a network namespace')
class MdnsDiscoverySpec extends Specification {
    static final String SERVICE = '_zedspec._tcp.local.'
    static final String US = '\u001f'

    @Shared String ns = 'zed-mdns-' + UUID.randomUUID().toString().substring(0, 8)
    @Shared Process announcer
    @Shared Path dir

    static boolean runnable() {
        ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].any { new File(it).canExecute() } &&
                ['id', '-u'].execute().text.trim() == '0'
    }

    def setupSpec() {
        dir = ScratchDir.create('mdns')
        sh('ip', 'netns', 'add', ns)
        sh('ip', '-n', ns, 'link', 'set', 'lo', 'up', 'multicast', 'on')
        sh('ip', '-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', 'lo')
        announcer = java('com.zed.cluster.MdnsAnnouncer', '127.0.0.1', SERVICE,
                "web-1|2201|user=deploy${US}labels=prod,eu${US}pool=tank",
                "web-2|2202|labels=prod",
                "dev-1|2203|labels=staging",
                // hostile: an option for ssh in user=, a shell command with quotes and ';' in labels=, a newline in pool=
                "evil-1|2204|user=-oProxyCommand=sh -c 'touch /tmp/zed-pwned'${US}labels=prod",
                "evil-2|2205|labels=prod;reboot \"now\"",
                "evil-3|2206|pool=tank\nHost *",
                "Bad Host|2207|labels=prod").redirectError(dir.resolve('announcer.err').toFile()).start()
        def ready = new BufferedReader(new InputStreamReader(announcer.inputStream)).readLine()
        assert ready == 'ready': "the announcer did not start: ${Files.readString(dir.resolve('announcer.err'))}"
        // jmdns returns from registerService after a bounded wait even when a loaded machine has not
        // announced yet: wait (at most a minute) until all seven instances answer, then test what they became.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60)
        int heard = 0
        while (heard < 7 && System.nanoTime() < until) {
            def r = zed('discover', '--service', SERVICE, '--wait', '2000', '--json')
            assert r.code == 0: r.err
            def out = new ObjectMapper().readValue(r.out as String, Map)
            heard = out.hosts.size() + out.refused.size()
        }
        assert heard == 7: "the announcer's seven instances did not all answer within a minute: ${Files.readString(dir.resolve('announcer.err'))}"
    }

    def cleanupSpec() {
        if (announcer != null) {
            announcer.outputStream.close()
            if (!announcer.waitFor(20, TimeUnit.SECONDS)) {
                announcer.destroyForcibly()
                announcer.waitFor(10, TimeUnit.SECONDS)
            }
        }
        sh('ip', 'netns', 'del', ns)
        if (dir != null) {
            ScratchDir.delete(dir)
        }
    }

    def "zed discover finds the announced hosts, as a cluster would use them, and refuses the hostile ones"() {
        when:
        def r = zed('discover', '--service', SERVICE, '--wait', '3000', '--json')

        then:
        r.code == 0
        def out = new ObjectMapper().readValue(r.out as String, Map)
        out.service == SERVICE
        out.hosts == [
                [name: 'dev-1', ssh: '127.0.0.1:2203', labels: ['staging'], pool: null],
                [name: 'web-1', ssh: 'deploy@127.0.0.1:2201', labels: ['prod', 'eu'], pool: 'tank'],
                [name: 'web-2', ssh: '127.0.0.1:2202', labels: ['prod'], pool: null]]

        and: 'each hostile announcement refused, for the part that broke a rule'
        out.refused.collectEntries { [it.instance, it.reason.split(':')[0]] } ==
                ['Bad Host': 'host', 'evil-1': 'ssh', 'evil-2': 'labels', 'evil-3': 'pool']
    }

    def "--label keeps the hosts carrying every label given"() {
        when:
        def r = zed('discover', '--service', SERVICE, '--wait', '2000', '--label', 'prod', '--label', 'eu', '--json')

        then:
        r.code == 0
        new ObjectMapper().readValue(r.out as String, Map).hosts*.name == ['web-1']
    }

    def "zed diff on a cluster with discover browses first: the discovered hosts are planned after the declared one"() {
        given: 'no sshd listens on the announced ports, so each host is planned as unreachable, under its name'
        def script = dir.resolve('edge.groovy')
        Files.writeString(script, """\
            deploy('edge', pool: 'tank') {
                dataset('apps/gw') { compression 'lz4' }
                cluster('edge') {
                    host 'gw-0', ssh: 'root@127.0.0.1:2299'
                    host 'web-2', ssh: '127.0.0.1:2202'
                    discover labels: ['prod'], wait: 2500, service: '${SERVICE}'
                }
            }
            """.stripIndent())
        def knownHosts = dir.resolve('known_hosts')
        Files.writeString(knownHosts, '')

        when:
        def r = zed('diff', script.toString(), '--known-hosts', knownHosts.toString(), '--json')

        then: 'the declared hosts, then web-1 (prod; web-2 is declared already; dev-1 is staging); the hostile ones told on stderr'
        r.code == 1
        def plans = new ObjectMapper().readValue(r.out as String, Map)
        plans.unreachable.keySet().toList() == ['gw-0', 'web-2', 'web-1']
        r.err.contains("discover: refused 'evil-1'")
        !r.err.contains('\nHost *')
    }

    private static void sh(String... argv) {
        def p = new ProcessBuilder(argv).redirectErrorStream(true).start()
        def text = p.inputStream.text
        assert p.waitFor() == 0: "${argv.join(' ')}: $text"
    }

    /** A JVM on the test classpath, inside the namespace. */
    private ProcessBuilder java(String main, String... args) {
        new ProcessBuilder(['ip', 'netns', 'exec', ns, Path.of(System.getProperty('java.home'), 'bin', 'java').toString(),
                            '-cp', System.getProperty('java.class.path'), main] + args.toList())
    }

    private Map zed(String... args) {
        def p = java('com.zed.cli.Main', args).start()
        p.outputStream.close()
        def out = new StringBuilder()
        def err = new StringBuilder()
        def a = Thread.start { out.append(p.inputStream.text) }
        def b = Thread.start { err.append(p.errorStream.text) }
        assert p.waitFor(120, TimeUnit.SECONDS): "zed ${args.join(' ')} did not end"
        a.join()
        b.join()
        [code: p.exitValue(), out: out.toString(), err: err.toString()]
    }
}
