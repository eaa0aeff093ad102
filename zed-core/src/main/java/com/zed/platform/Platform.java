package com.zed.platform;

import java.util.List;
import java.util.Map;

/**
 * Runs app releases as services on one host. Linux (systemd) now; FreeBSD (rc.d) and illumos
 * (SMF) come behind the same interface.
 */
public interface Platform {

    String name();

    /**
     * The service an app runs as on this host: {@code zed-<app>}. A platform may scope it, e.g. to the
     * network namespace the host's commands run in, so that hosts sharing one service manager stay apart.
     */
    default String serviceName(String app) {
        return "zed-" + app;
    }

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

    /**
     * Runs a one-off command (e.g. a migration) as root with the service's environment; returns its exit code and
     * output. Unconfined and unbounded: use {@link #runCommand(ServiceSpec, List)}.
     */
    CommandOutcome runWithEnvironment(String service, String workingDirectory, List<String> argv);

    /**
     * Runs a one-off command (e.g. a migration) the way the service runs: same user, environment, credentials
     * and confinement, in its working directory, stopped and failed after the sandbox's command timeout.
     */
    CommandOutcome runCommand(ServiceSpec service, List<String> argv);

    /** Stops a running one-off command of the service (Ctrl-C during a pre-command); no-op when none runs. */
    void stopCommand(String service);

    /**
     * Makes sure the system user (and its group) exists: created as a system user without a home or a login
     * shell when missing; {@code home} is recorded as its home. Refuses an existing user that is not a system user.
     */
    void ensureUser(String user, String home);

    /** Creates (or repairs) a directory owned by the user, mode 700: the only place the app may write. */
    void ensureStateDirectory(String user, String directory);

    /**
     * Stores the service's Erlang cookie where only root can read it; the service manager hands it to the service
     * alone at start ({@link Sandbox#erlangCookie()}). Travels on stdin, never in an argument list or a log.
     * It is one of {@link #files}: transactions keep and put back the previous one with the environment.
     */
    void writeCookie(String service, String cookie);

    /**
     * @param exitCode 0 when the command succeeded
     * @param output   its standard output
     * @param result   how it ended, in the service manager's words (systemd: {@code success}, {@code exit-code},
     *                 {@code timeout}, {@code signal}, ...); empty when unknown
     */
    record CommandOutcome(int exitCode, String output, String result) {
        public CommandOutcome(int exitCode, String output) {
            this(exitCode, output, "");
        }

        /** The command ran past its timeout and was stopped. */
        public boolean timedOut() {
            return result.equals("timeout");
        }
    }
}
