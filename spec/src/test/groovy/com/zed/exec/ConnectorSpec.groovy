package com.zed.exec

import spock.lang.Specification
import spock.lang.Timeout

import java.time.Duration
import java.util.concurrent.CountDownLatch

/** The direct connector, and the SSH connector's inbox and remote command line, without a lab. */
class ConnectorSpec extends Specification {

    def "direct: a closed port is ConnectException 'Connection refused'; a silent peer is a read timeout"() {
        given:
        def free = new ServerSocket(0).withCloseable { it.localPort }
        def silent = new ServerSocket(0, 50, InetAddress.loopbackAddress)
        Thread.startDaemon { try { while (true) { silent.accept() } } catch (IOException ignored) { } }

        when:
        Connector.direct().open('127.0.0.1', free, Duration.ofSeconds(2))

        then:
        def e = thrown(ConnectException)
        e.message.startsWith('Connection refused')

        when:
        def c = Connector.direct().open('127.0.0.1', silent.localPort, Duration.ofSeconds(2))
        c.readTimeout(Duration.ofMillis(100))
        long t0 = System.nanoTime()
        c.input().read()

        then:
        thrown(SocketTimeoutException)
        System.nanoTime() - t0 >= 100_000_000L

        cleanup:
        c?.close()
        silent?.close()
    }

    def "ssh inbox: data in order, EOF at the end, a read timeout when nothing comes"() {
        given:
        def inbox = new SshConnector.Inbox()
        def sink = inbox.sink()

        when:
        sink.write('hello '.bytes)
        sink.write('world'.bytes)
        sink.close()

        then:
        new String(inbox.readAllBytes()) == 'hello world'
        inbox.read() == -1

        when:
        def empty = new SshConnector.Inbox()
        empty.timeoutMillis = 100
        long t0 = System.nanoTime()
        empty.read()

        then:
        thrown(SocketTimeoutException)
        System.nanoTime() - t0 >= 100_000_000L
    }

    def "ssh inbox grows for large data and keeps it all"() {
        given:
        def inbox = new SshConnector.Inbox()
        def data = new byte[100_000]
        new Random(7).nextBytes(data)

        when:
        (0..<100).each { i -> inbox.sink().write(data, i * 1000, 1000) }
        inbox.end()

        then:
        inbox.readAllBytes() == data
    }

    @Timeout(30) // a safety net against a hang, not a speed assertion
    def "ssh inbox: closing it wakes a reader blocked without a timeout"() {
        given:
        def inbox = new SshConnector.Inbox()
        def started = new CountDownLatch(1)
        int got = 0
        def reader = Thread.start { started.countDown(); got = inbox.read() }

        when:
        started.await()
        inbox.close()
        reader.join()

        then:
        got == -1
    }

    def "the remote command line hands argv over exactly and prints the PID first on stderr (checked with the local sh)"() {
        given:
        def argv = ['printf', '%s|', 'a b', '$(x)', "it's", '*', '']

        when:
        def line = SshRunner.commandLine(argv)
        def r = new LocalRunner().run(['sh', '-c', line])

        then:
        line.startsWith("sh -c 'echo \$\$ >&2; exec \"\$@\"' zed ")
        r.stdout() == "a b|\$(x)|it's|*||"
        r.stderr() ==~ /\d+\n/
    }

    def "the PID line is taken off stderr; anything else passes unchanged: #raw"() {
        given:
        def s = new SshRunner.PidStream(new ByteArrayInputStream(raw.bytes))

        expect:
        new String(s.readAllBytes()) == rest
        s.pid() == pid

        where:
        raw                   || pid   | rest
        '4242\nzfs: oops\n'   || 4242  | 'zfs: oops\n'
        '4242\n'              || 4242  | ''
        'sh: 1: boom\nmore'   || 0     | 'sh: 1: boom\nmore'
        ''                    || 0     | ''
        '12'                  || 0     | '12'
    }
}
