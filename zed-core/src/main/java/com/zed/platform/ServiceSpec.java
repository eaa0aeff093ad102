package com.zed.platform;

import java.util.List;

/**
 * An app's release as a service: a name ({@code zed-<app>}), where it runs from, and the
 * commands (argument arrays) that start and stop it in the foreground.
 */
public record ServiceSpec(String name, String description, String workingDirectory, List<String> start,
                          List<String> stop) {
    public ServiceSpec {
        start = List.copyOf(start);
        stop = List.copyOf(stop);
        if (!name.matches("[A-Za-z0-9_.@-]{1,128}")) {
            throw new IllegalArgumentException("invalid service name '" + name + "'");
        }
    }
}
