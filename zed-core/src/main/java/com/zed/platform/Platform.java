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

    /** Keeps the current environment file aside, so a rollback can put it back (it lives outside the dataset). */
    void saveEnvironment(String service);

    /** Puts back the environment kept by {@link #saveEnvironment}; no-op when none was kept. */
    void restoreEnvironment(String service);

    /** Path of the environment file the service reads. */
    String environmentFile(String service);

    void start(String service);

    void stop(String service);

    ServiceStatus status(String service);

    /** Runs a one-off command (e.g. a migration) with the service's environment; returns its exit code and output. */
    CommandOutcome runWithEnvironment(String service, String workingDirectory, List<String> argv);

    record CommandOutcome(int exitCode, String output) { }
}
