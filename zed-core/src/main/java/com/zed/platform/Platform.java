package com.zed.platform;

import java.util.List;
import java.util.Map;

/**
 * Runs app releases as services on one host. Linux (systemd) now; FreeBSD (rc.d) and illumos
 * (SMF) come behind the same interface.
 */
public interface Platform {

    String name();

    /** Installs or updates the service definition (idempotent). */
    void install(ServiceSpec service);

    /**
     * Writes the service's environment where only root can read it. Values (secrets among them)
     * travel on the command's stdin, never in an argument list, a log line or a result.
     */
    void writeEnvironment(String service, Map<String, String> environment);

    /** The service definition file's text for {@code service}: a pure function, compared for drift. */
    String render(ServiceSpec service);

    /** The files outside ZFS this platform writes for a service (definition, environment): kept and restored by transactions. */
    List<String> files(String service);

    /** A file's content, root-only files included; empty when absent. The caller must not log it. */
    java.util.Optional<String> read(String path);

    /** The environment the service would start with now, parsed from its file (values stay in memory). */
    java.util.Optional<Map<String, String>> readEnvironment(String service);

    /** The directory the service's main process runs in (its release), when it runs. */
    java.util.Optional<String> workingDirectory(String service);

    /** Tells the service manager that definition files changed underneath it. */
    void reload();

    /** Stops the service from starting at boot (its definition is about to go). */
    void disable(String service);

    /** Path of the environment file the service reads. */
    String environmentFile(String service);

    void start(String service);

    void stop(String service);

    ServiceStatus status(String service);

    /** Runs a one-off command (e.g. a migration) with the service's environment; returns its exit code and output. */
    CommandOutcome runWithEnvironment(String service, String workingDirectory, List<String> argv);

    record CommandOutcome(int exitCode, String output) { }
}
