package com.zed.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where releases come from and how long a started one may take to become healthy. */
public final class ReleaseOptions {

    @Option(names = "--store", paramLabel = "DIR",
            description = "Release store: DIR/<app>/<app>-<version>.tar.gz (+ .sha256). Default: dist/ beside the script."
                    + " An app whose release is not there stops the run before anything changes (unless it is recordOnly).")
    Path store;

    @Option(names = "--health-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a started release may take to become healthy (default: ${DEFAULT-VALUE}).")
    int healthTimeout;

    @Option(names = "--watch", paramLabel = "DURATION",
            description = "After a release is healthy, keep watching it this long (e.g. 10m; 0s: no watch), overriding"
                    + " the apps' `watch`: a release that starts failing meanwhile is rolled back and ghosted.")
    String watch;

    java.util.Optional<java.time.Duration> watch(picocli.CommandLine cmd) {
        if (watch == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(com.zed.model.Durations.parse(watch));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(cmd, "--watch: " + e.getMessage());
        }
    }
}
