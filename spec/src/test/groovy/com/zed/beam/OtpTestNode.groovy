package com.zed.beam

import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.TimeUnit

/**
 * A real Erlang node for specs: `erl -noshell -name zedspec_<random>@127.0.0.1` with a random cookie, a
 * fixed distribution port, and its own epmd on a private port (ERL_EPMD_PORT), so specs never touch a
 * system epmd on 4369. {@link #stop} kills the node; {@link #killEpmd} stops only the epmd on our port.
 */
class OtpTestNode {
    final String name
    final String cookie
    final int epmdPort
    final int distPort
    final boolean longNames
    private Process process

    private OtpTestNode(String name, String cookie, int epmdPort, int distPort, boolean longNames) {
        this.name = name
        this.cookie = cookie
        this.epmdPort = epmdPort
        this.distPort = distPort
        this.longNames = longNames
    }

    static String random(String prefix) {
        prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL)
    }

    static int freePort() {
        new ServerSocket(0).withCloseable { it.localPort }
    }

    /** Starts a node registered with epmd on {@code epmdPort} (epmd is started by erl if not running there). */
    static OtpTestNode start(int epmdPort, boolean longNames = true) {
        def alive = random('zedspec_')
        def host = longNames ? '127.0.0.1' : shortHost()
        def node = new OtpTestNode("$alive@$host", random('cookie'), epmdPort, freePort(), longNames)
        def pb = new ProcessBuilder(['erl', '-noshell', longNames ? '-name' : '-sname', longNames ? node.name : alive,
                '-setcookie', node.cookie,
                '-kernel', 'inet_dist_listen_min', "$node.distPort", 'inet_dist_listen_max', "$node.distPort"]*.toString())
        pb.environment().put('ERL_EPMD_PORT', epmdPort.toString())
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        node.process = pb.start()
        node.awaitRegistered(alive, 20_000)
        node
    }

    /** The host part erl uses for -sname: the short host name. */
    static String shortHost() {
        InetAddress.localHost.hostName.tokenize('.')[0]
    }

    String getAlive() { name.substring(0, name.indexOf('@')) }

    String getHost() { name.substring(name.indexOf('@') + 1) }

    private void awaitRegistered(String alive, long millis) {
        long end = System.currentTimeMillis() + millis
        while (System.currentTimeMillis() < end) {
            if (!process.alive) {
                throw new IllegalStateException("erl for $name exited with ${process.exitValue()}")
            }
            if (epmdNames(epmdPort).contains("name $alive at port $distPort")) {
                return
            }
            Thread.sleep(50)
        }
        stop()
        throw new IllegalStateException("$name did not register with epmd on port $epmdPort within $millis ms")
    }

    static String epmdNames(int epmdPort) {
        def p = new ProcessBuilder('epmd', '-port', epmdPort.toString(), '-names').redirectErrorStream(true).start()
        def out = p.inputStream.text
        p.waitFor(5, TimeUnit.SECONDS)
        out
    }

    /** SIGKILL: the node is gone at once and epmd drops its registration with the closed socket. */
    void stop() {
        if (process?.alive) {
            process.destroyForcibly()
            process.waitFor(10, TimeUnit.SECONDS)
        }
        // epmd learns of the death from the closed registration socket; wait until it has.
        long end = System.currentTimeMillis() + 5_000
        while (System.currentTimeMillis() < end && epmdNames(epmdPort).contains("name $alive ")) {
            Thread.sleep(20)
        }
    }

    /** Stops the epmd on {@code epmdPort}: only call it for a private port a spec started epmd on. */
    static void killEpmd(int epmdPort) {
        def p = new ProcessBuilder('epmd', '-port', epmdPort.toString(), '-kill').redirectErrorStream(true).start()
        p.inputStream.text
        p.waitFor(5, TimeUnit.SECONDS)
    }
}
