package com.zed.exec;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how to reach a host over SSH. Host keys are always verified against
 * {@code knownHosts}; there is no "accept any key" mode.
 */
public record SshTarget(String user, String host, int port, Path identity, Path knownHosts) {

    public SshTarget {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(knownHosts, "knownHosts (host keys are always verified)");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
