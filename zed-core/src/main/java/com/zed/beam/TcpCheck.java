package com.zed.beam;

import com.zed.exec.Connector;

import java.time.Duration;

/**
 * A TCP connect to {@code host:port}, from the target (through its {@link Connector}), must succeed
 * within the timeout; nothing is sent.
 */
public final class TcpCheck extends AbstractHealthCheck {

    private final String host;
    private final int port;
    private final Connector connector;

    /** Connects from this host. */
    public TcpCheck(String host, int port, Duration timeout) {
        this(host, port, timeout, Connector.direct());
    }

    public TcpCheck(String host, int port, Duration timeout, Connector connector) {
        super(timeout);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.host = host;
        this.port = port;
        this.connector = java.util.Objects.requireNonNull(connector, "connector");
    }

    @Override
    String probe(Deadline deadline, Bounded.Guard guard) throws Exception {
        guard.register(connector.open(host, port, deadline.remaining())).close();
        return null;
    }

    @Override
    public String describe() {
        return "tcp " + host + ":" + port;
    }
}
