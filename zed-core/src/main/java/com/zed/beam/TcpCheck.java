package com.zed.beam;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** A TCP connect to {@code host:port} must succeed within the timeout; nothing is sent. */
public final class TcpCheck extends AbstractHealthCheck {

    private final String host;
    private final int port;

    public TcpCheck(String host, int port, Duration timeout) {
        super(timeout);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.host = host;
        this.port = port;
    }

    @Override
    String probe(Deadline deadline, Bounded.Guard guard) throws Exception {
        try (Socket s = guard.register(new Socket())) {
            s.connect(new InetSocketAddress(host, port), deadline.remainingMillisForSocket());
        }
        return null;
    }

    @Override
    public String describe() {
        return "tcp " + host + ":" + port;
    }
}
