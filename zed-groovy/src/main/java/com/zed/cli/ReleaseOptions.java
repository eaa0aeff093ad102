package com.zed.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where releases come from and how long a started one may take to become healthy. */
public final class ReleaseOptions {

    @Option(names = "--store", paramLabel = "DIR",
            description = "Release store: DIR/<app>/<app>-<version>.tar.gz (+ .sha256). Default: dist/ beside the script,"
                    + " if it exists; without a store, apps' versions are only recorded in ZFS.")
    Path store;

    @Option(names = "--health-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a started release may take to become healthy (default: ${DEFAULT-VALUE}).")
    int healthTimeout;
}
