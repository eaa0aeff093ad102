package com.zed.cli;

import com.zed.exec.CommandRunner;
import com.zed.exec.Execution;

import java.util.List;

/**
 * A runner whose connection can be cut for good, as a network partition would: used by the
 * crash-matrix fault {@code cut} ({@link com.zed.converge.Faults}). Until then it only delegates.
 */
final class Severable implements CommandRunner {
    private final CommandRunner inner;
    private volatile boolean severed;

    Severable(CommandRunner inner) {
        this.inner = inner;
    }

    void sever() {
        severed = true;
        inner.close();
    }

    @Override
    public Execution start(List<String> argv) {
        live();
        return inner.start(argv);
    }

    @Override
    public Execution start(List<String> argv, java.time.Duration timeout) {
        live();
        return inner.start(argv, timeout);
    }

    @Override
    public com.zed.exec.Timeouts timeouts() {
        return inner.timeouts();
    }

    /** Health checks' connections go the same way as commands, and are cut with them. */
    @Override
    public com.zed.exec.Connector connector() {
        live();
        com.zed.exec.Connector c = inner.connector();
        return new com.zed.exec.Connector() {
            @Override
            public Connection open(String host, int port, java.time.Duration timeout) throws java.io.IOException {
                live();
                return c.open(host, port, timeout);
            }

            @Override
            public String describe() {
                return c.describe();
            }
        };
    }

    private void live() {
        if (severed) {
            throw new java.io.UncheckedIOException(new java.io.IOException("connection to " + inner.describe() + " lost"));
        }
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
