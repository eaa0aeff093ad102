package com.zed.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a service is confined: the unprivileged user it runs as, what it may write, and what it is allowed
 * beyond the hardened default. The service manager turns this into its own settings (systemd: {@code User=},
 * {@code ProtectSystem=strict}, {@code ReadWritePaths=}, an empty capability bounding set, ...).
 *
 * @param user           the system user (and group of the same name) the service and its one-off commands run as
 * @param environment    non-secret variables set on the unit itself (secrets go to the environment file)
 * @param writablePaths  absolute paths the service may write (everything else but its private /tmp is read-only)
 * @param erlangCookie   the node's cookie is handed over as a credential: {@code $HOME/.erlang.cookie}, with
 *                       {@code HOME} the service's private credentials directory, so it is never on a command line
 * @param bindLowPorts   the service may bind ports below 1024 ({@code CAP_NET_BIND_SERVICE}, and only that)
 * @param writeExecute   allow writable-and-executable memory; off by default: the OTP 24+ JIT dual-maps its code
 * @param commandTimeout how long a one-off command (a pre-command) may run before it is stopped and fails
 */
public record Sandbox(String user, Map<String, String> environment, List<String> writablePaths, boolean erlangCookie,
                      boolean bindLowPorts, boolean writeExecute, Duration commandTimeout) {
    public Sandbox {
        requireUserName(user);
        // Sorted and kept sorted: the unit text must be the same in every JVM (Map.copyOf iterates in a per-JVM random order)
        environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
        writablePaths = List.copyOf(writablePaths);
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("a command timeout must be positive: " + commandTimeout);
        }
        if (erlangCookie && environment.containsKey("HOME")) {
            throw new IllegalArgumentException("HOME is the credentials directory when the cookie is a credential");
        }
        for (String p : writablePaths) {
            Objects.requireNonNull(p, "writable path");
            if (!p.startsWith("/") || p.contains("/../") || p.endsWith("/..")) {
                throw new IllegalArgumentException("a writable path must be absolute and plain: " + p);
            }
        }
    }

    /** A portable system user name: lower case, digit, {@code _ -}; at most 32 characters (Linux's limit). */
    public static void requireUserName(String user) {
        Objects.requireNonNull(user, "user");
        if (!user.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("invalid user name '" + user + "'");
        }
    }
}
