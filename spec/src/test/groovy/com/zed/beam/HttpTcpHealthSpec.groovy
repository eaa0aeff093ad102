package com.zed.beam

import com.sun.net.httpserver.HttpServer
import spock.lang.Shared
import spock.lang.Specification

import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors

/** http and tcp checks against a local HttpServer and plain sockets. */
class HttpTcpHealthSpec extends Specification {

    @Shared HttpServer server
    @Shared String base
    @Shared CountDownLatch never = new CountDownLatch(1)

    def setupSpec() {
        server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 50)
        server.executor = Executors.newCachedThreadPool()
        server.createContext('/ok') { ex -> ex.sendResponseHeaders(200, -1); ex.close() }
        server.createContext('/unavailable') { ex -> ex.sendResponseHeaders(503, -1); ex.close() }
        server.createContext('/moved') { ex -> ex.responseHeaders.add('Location', '/ok'); ex.sendResponseHeaders(302, -1); ex.close() }
        server.createContext('/silent') { ex -> never.await() }
        server.start()
        base = "http://127.0.0.1:${server.address.port}"
    }

    def cleanupSpec() {
        never.countDown()
        server?.stop(0)
        server?.executor?.shutdownNow()
    }

    def "GET #path expecting #status: #reason"() {
        when:
        def r = new HttpCheck(base + path, status, Duration.ofSeconds(2)).check()

        then:
        r.healthy() == healthy
        r.reason() == reason
        r.check() == "http $base$path".toString()

        where:
        path           | status || healthy | reason
        '/ok'          | 200    || true    | 'ok'
        '/unavailable' | 200    || false   | 'HTTP 503 (expected 200)'
        '/unavailable' | 503    || true    | 'ok'
        '/moved'       | 200    || false   | 'HTTP 302 (expected 200)'
        '/missing'     | 200    || false   | 'HTTP 404 (expected 200)'
    }

    def "a server that never answers is a timeout at its bound (#ms ms), named as such"() {
        when:
        def r = new HttpCheck("$base/silent", 200, Duration.ofMillis(ms)).check()

        then:
        r.reason() == "timeout after $ms ms"
        r.elapsed().toMillis() >= ms - 5   // toMillis() truncates

        where:
        ms << [300, 1000]
    }

    def "nothing listening is connection refused; an unknown host is named"() {
        expect:
        new HttpCheck("http://127.0.0.1:${OtpTestNode.freePort()}/", 200, Duration.ofSeconds(2)).check().reason() == 'connection refused'
        new HttpCheck('http://no-such-host.invalid/', 200, Duration.ofSeconds(2)).check().reason() == 'unknown host no-such-host.invalid'
    }

    def "credentials in the url never show"() {
        expect:
        new HttpCheck('http://admin:hunter2@127.0.0.1:1/x', 200, Duration.ofSeconds(1)).describe() == 'http http://***@127.0.0.1:1/x'
    }

    def "only http and https urls are accepted"() {
        when:
        new HttpCheck('ftp://h/x', 200, Duration.ofSeconds(1))

        then:
        thrown(IllegalArgumentException)
    }

    def "tcp: an open port is healthy, a closed one is connection refused, an unknown host is named"() {
        given:
        def open = new ServerSocket(0, 50, InetAddress.loopbackAddress)

        expect:
        new TcpCheck('127.0.0.1', open.localPort, Duration.ofSeconds(1)).check().healthy()
        new TcpCheck('127.0.0.1', OtpTestNode.freePort(), Duration.ofSeconds(1)).check().reason() == 'connection refused'
        new TcpCheck('no-such-host.invalid', 80, Duration.ofSeconds(2)).check().reason() == 'unknown host no-such-host.invalid'

        cleanup:
        open?.close()
    }

    def "tcp: a listener whose accept queue is full drops the SYN, and the connect times out at its bound"() {
        given: 'a backlog of 1 that nobody accepts from, filled up'
        def full = new ServerSocket(0, 1, InetAddress.loopbackAddress)
        def fillers = (1..4).collect {
            def s = new Socket()
            try { s.connect(full.localSocketAddress, 200) } catch (IOException ignored) { }
            s
        }

        when:
        def r = new TcpCheck('127.0.0.1', full.localPort, Duration.ofMillis(400)).check()

        then:
        r.reason() == 'timeout after 400 ms'

        cleanup:
        fillers*.close()
        full?.close()
    }
}
