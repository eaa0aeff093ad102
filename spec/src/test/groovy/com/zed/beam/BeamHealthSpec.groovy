package com.zed.beam

import com.zed.model.SecretRef
import com.zed.secret.Secret
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

import java.time.Duration

/**
 * beamPing and rpc against a real Erlang node started by the spec (own epmd on a private port), and
 * against fake peers that accept and never answer, to prove the timeouts are hard.
 */
class BeamHealthSpec extends Specification {

    static final Duration T = Duration.ofSeconds(5)

    @Shared int epmdPort = OtpTestNode.freePort()
    @Shared OtpTestNode node
    @Shared List<Closeable> silentServers = []

    def setupSpec() {
        node = OtpTestNode.start(epmdPort)
    }

    def cleanupSpec() {
        node?.stop()
        silentServers*.close()
        OtpTestNode.killEpmd(epmdPort)
    }

    BeamTarget target(OtpTestNode n = node, String cookie = n.cookie) {
        new BeamTarget(n.name, Secret.of(new SecretRef.Env('RELEASE_COOKIE'), cookie), '127.0.0.1', n.epmdPort)
    }

    def "beamPing of a running node with the right cookie is healthy, and so is a second check right after (the timing is in bench/health)"() {
        when:
        def cold = new BeamPingCheck(target(), T).check()
        def warm = new BeamPingCheck(target(), T).check()

        then:
        cold.healthy() && cold.reason() == 'ok'
        warm.healthy()
        cold.check() == "beamPing ${node.name} (epmd 127.0.0.1:$epmdPort)".toString()
    }

    def "a wrong cookie is told apart from a down node"() {
        when:
        def r = new BeamPingCheck(target(node, 'not-the-cookie'), T).check()

        then:
        !r.healthy()
        r.reason() == 'wrong cookie'
    }

    def "the cookie never shows in what a check describes or reports"() {
        given:
        def t = target()

        expect:
        !t.toString().contains(node.cookie)
        t.toString().contains('env(RELEASE_COOKIE)')
        !new BeamPingCheck(t, T).describe().contains(node.cookie)
        !new BeamPingCheck(target(node, 'wrong'), T).check().toString().contains(node.cookie)
    }

    def "a node that is not registered with epmd is down, at once"() {
        given:
        def absent = new BeamTarget("zedspec_absent@127.0.0.1", target().cookie(), '127.0.0.1', epmdPort)

        when:
        def r = new BeamPingCheck(absent, T).check()

        then:
        !r.healthy()
        r.reason() == "node down (zedspec_absent not registered with epmd 127.0.0.1:$epmdPort)"
    }

    def "a node that was up and is stopped is down"() {
        given:
        def doomed = OtpTestNode.start(epmdPort)
        def check = new BeamPingCheck(target(doomed), T)
        assert check.check().healthy()

        when:
        doomed.stop()
        def r = check.check()

        then:
        !r.healthy()
        r.reason().startsWith('node down')

        cleanup:
        doomed?.stop()
    }

    def "nothing listening on the epmd port is node down with the port named"() {
        given:
        def closed = OtpTestNode.freePort()

        when:
        def r = new BeamPingCheck(new BeamTarget(node.name, target().cookie(), '127.0.0.1', closed), T).check()

        then:
        r.reason() == "node down (epmd 127.0.0.1:$closed: connection refused)"
    }

    def "the epmd port is per check: checks on two ports run at once in one JVM and each asks its own"() {
        given: 'an epmd port where the node is not registered (a silent-free, refusing port) next to the real one'
        def otherEpmd = OtpTestNode.freePort()
        def good = new BeamPingCheck(target(), T)
        def wrongPort = new BeamPingCheck(new BeamTarget(node.name, target().cookie(), '127.0.0.1', otherEpmd), T)

        when:
        def results = (1..10).collect { i -> Bounded.submit({ (i % 2 ? good : wrongPort).check() }) }*.get()

        then:
        results.findAll { it.healthy() }.size() == 5
        results.findAll { !it.healthy() }*.reason().every { it == "node down (epmd 127.0.0.1:$otherEpmd: connection refused)" }
    }

    def "rpc #module:#function(#args) expecting #expect: #outcome"() {
        when:
        def r = new RpcCheck(target(), module, function, args, expect.replace('NODE', node.name), T).check()

        then:
        r.healthy() == healthy
        r.reason() == outcome.replace('NODE', node.name)

        where:
        module   | function        | args                       | expect                 || healthy | outcome
        'erlang' | 'node'          | []                         | "'NODE'"               || true    | 'ok'
        'lists'  | 'sum'           | ['[1,2,3]']                | '6'                    || true    | 'ok'
        'lists'  | 'reverse'       | ['"abc"']                  | '[99,98,97]'           || true    | 'ok'
        'erlang' | 'list_to_tuple' | ['[ok, <<"x">>, 1.5]']     | '{ok,<<"x">>,1.5}'     || true    | 'ok'
        'maps'   | 'get'           | ['a', '#{a => [1|2]}']     | '[1|2]'                || true    | 'ok'
        'erlang' | 'atom_to_list'  | ['true']                   | '"true"'               || true    | 'ok'
        'lists'  | 'sum'           | ['[1,2,3]']                | '7'                    || false   | 'rpc returned 6 (expected 7)'
        'erlang' | 'node'          | []                         | "'other@127.0.0.1'"    || false   | "rpc returned 'NODE' (expected 'other@127.0.0.1')"
        'erlang' | 'binary_to_atom'| ['<<"error">>']            | 'ok'                   || false   | 'rpc returned error (expected ok)'
        'no_such'| 'f'             | []                         | 'ok'                   || false   | "rpc returned {badrpc,{'EXIT',{undef,[{no_such,f,[],[]}]}}} (expected ok)"
    }

    def "rpc with the wrong cookie is wrong cookie, not an rpc failure"() {
        expect:
        new RpcCheck(target(node, 'nope'), 'erlang', 'node', [], 'ok', T).check().reason() == 'wrong cookie'
    }

    def "an rpc that does not return in time is a timeout at its bound (the deadline, not the peer, ended it), and says the node answered the handshake"() {
        when:
        def r = new RpcCheck(target(), 'timer', 'sleep', ['10000'], 'ok', Duration.ofMillis(600)).check()

        then:
        !r.healthy()
        r.reason() == 'timeout after 600 ms (connected, no rpc reply)'
        r.elapsed().toMillis() >= 600 - 5   // toMillis() truncates; the clock starts a hair before the check
    }

    def "a peer that accepts on the epmd port and never answers cannot hang the check: #timeoutMs ms"() {
        given:
        def silent = silentServer()

        when:
        def r = new BeamPingCheck(new BeamTarget(node.name, target().cookie(), '127.0.0.1', silent.localPort),
                Duration.ofMillis(timeoutMs)).check()

        then:
        r.reason() == "timeout after $timeoutMs ms (epmd 127.0.0.1:$silent.localPort did not answer)"
        r.elapsed().toMillis() >= timeoutMs - 5   // toMillis() truncates

        where:
        timeoutMs << [200, 1000]
    }

    def "a distribution port that accepts and never answers the handshake cannot hang #kind"() {
        given: 'a fake epmd that points at a silent server'
        def silent = silentServer()
        def epmd = fakeEpmd(silent.localPort)
        def t = new BeamTarget('ghost@127.0.0.1', target().cookie(), '127.0.0.1', epmd.localPort)
        HealthCheck check = kind == 'beamPing' ? new BeamPingCheck(t, Duration.ofMillis(500))
                : new RpcCheck(t, 'erlang', 'node', [], 'ok', Duration.ofMillis(500))

        when:
        def r = check.check()

        then:
        r.reason() == "timeout after 500 ms (no handshake from distribution port 127.0.0.1:$silent.localPort)"

        where:
        kind << ['beamPing', 'rpc']
    }

    def "what a qemu port forward with nothing behind it looks like (accept, then close) is told apart"() {
        given:
        def closing = closingServer()
        def epmdToClosing = fakeEpmd(closing.localPort)
        def cookie = target().cookie()

        expect: 'on the epmd port: node down'
        new BeamPingCheck(new BeamTarget('ghost@127.0.0.1', cookie, '127.0.0.1', closing.localPort), T).check().reason() ==
                "node down (epmd 127.0.0.1:$closing.localPort: closed the connection without answering)"

        and: 'on the distribution port: the handshake failed, and where'
        new BeamPingCheck(new BeamTarget('ghost@127.0.0.1', cookie, '127.0.0.1', epmdToClosing.localPort), T).check().reason() ==
                "handshake failed: distribution port 127.0.0.1:$closing.localPort closed the connection (nothing listening" +
                " behind a port forward, not a distribution port, or our node name refused)"
    }

    def "a short-name (-sname) node is reached too: the check names itself the same way"() {
        given:
        def shorty = OtpTestNode.start(epmdPort, false)

        expect:
        shorty.host == OtpTestNode.shortHost()
        new BeamPingCheck(target(shorty), T).check().healthy()
        new RpcCheck(target(shorty), 'erlang', 'node', [], "'$shorty.name'", T).check().healthy()

        cleanup:
        shorty?.stop()
    }

    def "rpc term text that does not parse fails when the check is built, not at deploy time"() {
        when:
        new RpcCheck(target(), 'm', 'f', ['[1,2'], 'ok', T)

        then:
        def e = thrown(ErlangTerms.ParseException)
        e.message.contains("'[1,2'")
    }

    // ---- fake peers ----

    /** Accepts connections and never writes a byte. */
    ServerSocket silentServer() {
        def ss = new ServerSocket(0, 50, InetAddress.loopbackAddress)
        def held = []
        Thread.startDaemon { try { while (true) { held << ss.accept() } } catch (IOException ignored) { } }
        silentServers << ss
        ss
    }

    /** Accepts connections and closes them at once, like qemu's hostfwd when nothing listens in the guest. */
    ServerSocket closingServer() {
        def ss = new ServerSocket(0, 50, InetAddress.loopbackAddress)
        Thread.startDaemon { try { while (true) { ss.accept().close() } } catch (IOException ignored) { } }
        silentServers << ss
        ss
    }

    /** Answers every PORT_PLEASE2 with {@code port}, like a real epmd would for a registered node. */
    ServerSocket fakeEpmd(int port) {
        def ss = new ServerSocket(0, 50, InetAddress.loopbackAddress)
        Thread.startDaemon {
            try {
                while (true) {
                    def s = ss.accept()
                    s.inputStream.read(new byte[256])
                    // PORT2_RESP, ok, port, ntype 77 (normal), proto 0, highest 6, lowest 5, name, extra
                    s.outputStream.write([119, 0, port >> 8, port & 0xff, 77, 0, 0, 6, 0, 5, 0, 5] as byte[])
                    s.outputStream.write('ghost'.bytes)
                    s.outputStream.write([0, 0] as byte[])
                    s.outputStream.flush()
                    s.close()
                }
            } catch (IOException ignored) {
            }
        }
        silentServers << ss
        ss
    }
}
