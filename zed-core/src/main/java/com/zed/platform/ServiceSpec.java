package com.zed.platform;

import java.util.List;
import java.util.Optional;

/**
 * An app's release as a service: a name ({@code zed-<app>}), where it runs from, the commands (argument
 * arrays) that start and stop it in the foreground, and its confinement. Without a {@link Sandbox} the
 * service runs as root, unconfined (the unit Zed generated before services were confined).
 */
public record ServiceSpec(String name, String description, String workingDirectory, List<String> start,
                          List<String> stop, Optional<Sandbox> sandbox) {
    public ServiceSpec {
        start = List.copyOf(start);
        stop = List.copyOf(stop);
        if (!name.matches("[A-Za-z0-9_.@-]{1,128}")) {
            throw new IllegalArgumentException("invalid service name '" + name + "'");
        }
        if (start.isEmpty()) {
            throw new IllegalArgumentException("a service needs a start command");
        }
    }

    /** Unconfined, as root. */
    public ServiceSpec(String name, String description, String workingDirectory, List<String> start, List<String> stop) {
        this(name, description, workingDirectory, start, stop, Optional.empty());
    }
}
