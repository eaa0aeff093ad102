package com.zed.beam

import com.sun.net.httpserver.HttpsConfigurator
import com.sun.net.httpserver.HttpsServer
import com.zed.exec.Connector
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification

import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import java.nio.charset.StandardCharsets
import java.nio.file.Path
import java.security.KeyStore
import java.time.Duration
import java.util.concurrent.Executors

/**
 * The http check's own HTTP/1.1 client (it speaks over a Connector's streams, so java.net.http is
 * out): what it sends, how it reads answers, and https layered over the same stream.
 */
class HttpClientSpec extends Specification {

    static final Duration T = Duration.ofSeconds(5)

    @Shared Path tmp
    @Shared Path ks
    @Shared HttpsServer https
    @Shared SSLContext trusting
    @Shared List<ServerSocket> servers = []

    def setupSpec() {
        // A self-signed certificate for "localhost", made with the JDK's keytool in a temp dir of this spec.
        tmp = java.nio.file.Files.createTempDirectory('zed-httpclient-')
        ks = tmp.resolve('server.p12')
        def keytool = Path.of(System.getProperty('java.home'), 'bin', 'keytool').toString()
        def p = new ProcessBuilder(keytool, '-genkeypair', '-alias', 'srv', '-keyalg', 'EC', '-groupname', 'secp256r1',
                '-dname', 'CN=localhost', '-ext', 'SAN=dns:localhost', '-validity', '2', '-storetype', 'PKCS12',
                '-keystore', ks.toString(), '-storepass', 'changeit', '-keypass', 'changeit')
                .redirectErrorStream(true).start()
        assert p.waitFor() == 0, p.inputStream.text
        def store = KeyStore.getInstance('PKCS12')
        java.nio.file.Files.newInputStream(ks).withCloseable { store.load(it, 'changeit'.toCharArray()) }
        def kmf = KeyManagerFactory.getInstance(KeyManagerFactory.defaultAlgorithm)
        kmf.init(store, 'changeit'.toCharArray())
        def serverCtx = SSLContext.getInstance('TLS')
        serverCtx.init(kmf.keyManagers, null, null)
        def trust = KeyStore.getInstance('PKCS12')
        trust.load(null, null)
        trust.setCertificateEntry('srv', store.getCertificate('srv'))
        def tmf = TrustManagerFactory.getInstance(TrustManagerFactory.defaultAlgorithm)
        tmf.init(trust)
        trusting = SSLContext.getInstance('TLS')
        trusting.init(null, tmf.trustManagers, null)

        https = HttpsServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 50)
        https.httpsConfigurator = new HttpsConfigurator(serverCtx)
        https.executor = Executors.newCachedThreadPool()
        https.createContext('/ok') { ex -> ex.sendResponseHeaders(200, -1); ex.close() }
        https.createContext('/down') { ex -> ex.sendResponseHeaders(503, -1); ex.close() }
        https.start()
    }

    def cleanupSpec() {
        https?.stop(0)
        https?.executor?.shutdownNow()
        servers*.close()
        // Exactly the two paths made here, no recursive delete (nothing that could follow a link).
        if (ks != null) java.nio.file.Files.deleteIfExists(ks)
        if (tmp != null) java.nio.file.Files.deleteIfExists(tmp)
    }

    /** Answers every connection with {@code answer} (after reading the request), and keeps the requests. */
    ServerSocket raw(String answer, List<String> requests = Collections.synchronizedList([])) {
        def ss = new ServerSocket(0, 50, InetAddress.loopbackAddress)
        servers << ss
        Thread.startDaemon {
            try {
                while (true) {
                    def s = ss.accept()
                    def req = new StringBuilder()
                    def r = s.inputStream
                    while (!req.toString().endsWith('\r\n\r\n')) {
                        int b = r.read()
                        if (b < 0) break
                        req.append((char) b)
                    }
                    requests << req.toString()
                    if (answer != null) {
                        s.outputStream.write(answer.getBytes(StandardCharsets.ISO_8859_1))
                        s.outputStream.flush()
                    }
                    s.close()
                }
            } catch (IOException ignored) {
            }
        }
        ss
    }

    def "the request: GET path and query, Host with the url's port, Connection: close"() {
        given:
        def requests = Collections.synchronizedList([])
        def ss = raw('HTTP/1.1 200 OK\r\n\r\n', requests)

        when:
        def r = new HttpCheck("http://127.0.0.1:${ss.localPort}/health?deep=1", 200, T, Connector.direct()).check()

        then:
        r.healthy()
        requests[0] == "GET /health?deep=1 HTTP/1.1\r\nHost: 127.0.0.1:${ss.localPort}\r\nUser-Agent: zed-health\r\n" +
                "Accept: */*\r\nConnection: close\r\n\r\n"
    }

    def "answer #answer.inspect() -> #reason"() {
        given:
        def ss = raw(answer)

        expect:
        new HttpCheck("http://127.0.0.1:${ss.localPort}/", 200, T).check().reason() == reason

        where:
        answer                                            || reason
        'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'    || 'ok'
        'HTTP/1.0 200 OK\r\n\r\n'                         || 'ok'
        'HTTP/1.1 200\r\n\r\n'                            || 'ok'
        'HTTP/1.1 204 No Content\n\n'                     || 'HTTP 204 (expected 200)'
        'HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n'      || 'HTTP 301 (expected 200)'
        'SSH-2.0-OpenSSH_9.2\r\n'                         || "not an HTTP answer (status line 'SSH-2.0-OpenSSH_9.2')"
        ''                                                || 'the server closed the connection without answering'
    }

    def "https runs TLS over the connection: a trusted certificate passes, the status is checked"() {
        given:
        def factory = trusting.socketFactory

        expect:
        new HttpCheck("https://localhost:${https.address.port}/ok", 200, T, Connector.direct(), factory).check().reason() == 'ok'
        new HttpCheck("https://localhost:${https.address.port}/down", 200, T, Connector.direct(), factory).check().reason() ==
                'HTTP 503 (expected 200)'
    }

    def "https: a certificate the JVM does not trust, or another host name, fails as TLS"() {
        expect:
        new HttpCheck("https://localhost:${https.address.port}/ok", 200, T).check().reason().startsWith('TLS failed: ')
        new HttpCheck("https://127.0.0.1:${https.address.port}/ok", 200, T, Connector.direct(), trusting.socketFactory)
                .check().reason().startsWith('TLS failed: ')
    }
}
