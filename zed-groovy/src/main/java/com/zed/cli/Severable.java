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
        if (severed) {
            throw new java.io.UncheckedIOException(new java.io.IOException("connection to " + inner.describe() + " lost"));
        }
        return inner.start(argv);
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
