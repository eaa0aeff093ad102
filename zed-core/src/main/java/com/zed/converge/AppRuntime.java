package com.zed.converge;

import com.zed.model.AppSpec;
import com.zed.zfs.DatasetName;

import java.util.List;
import java.util.Optional;

/**
 * What converge needs from the thing that runs app releases (the BEAM runtime on a platform).
 * Converge owns ZFS state and the transaction; the runtime owns release files, the files it keeps
 * outside ZFS (environment, unit) and processes.
 */
public interface AppRuntime {

    /**
     * Before anything changes: can this release be had (present, checksum right), do its secrets resolve,
     * and are the app's service and user free or already this dataset's ({@link UnitConflictException})? Throws if not.
     */
    void check(AppSpec app, DatasetName dataset);

    /**
     * The app as the target shows it (release linked and running, drift of generated files). Changes nothing.
     * Throws {@link UnitConflictException} when the app's service belongs to another dataset.
     */
    AppState observe(AppSpec app, DatasetName dataset, String mountpoint);

    /**
     * Unpack, environment, pre-commands, unit, stop, switch {@code current}, start, wait healthy.
     * Each part starts with {@code journal.phase(...)}. Throws on any failure.
     */
    void deploy(AppSpec app, DatasetName dataset, String mountpoint, Optional<String> fromVersion, Journal journal);

    /** Before the first change: keeps the files these apps' services use outside ZFS under {@code id}, all or nothing. */
    void saveFiles(List<String> apps, String id);

    /** Puts back the files kept under {@code id} (removes those that did not exist then); no-op if none were kept. */
    void restoreFiles(String app, String id);

    /** Forgets the files kept under {@code id}. */
    void dropSaved(String id);

    /** Stops the app's service (not an error when it does not exist). */
    void stop(String app);

    /** Starts the release {@code current} points to; with the app's spec, waits until it is healthy. */
    void start(String app, String mountpoint, Optional<AppSpec> spec, String version);

    /** The runtime of apps that only record versions in ZFS (declared with {@code recordOnly}). */
    AppRuntime RECORD_ONLY = new AppRuntime() {
        @Override public void check(AppSpec app, DatasetName d) { }
        @Override public AppState observe(AppSpec app, DatasetName d, String m) { return AppState.UNOBSERVED; }
        @Override public void deploy(AppSpec app, DatasetName d, String m, Optional<String> f, Journal j) { }
        @Override public void saveFiles(List<String> apps, String id) { }
        @Override public void restoreFiles(String app, String id) { }
        @Override public void dropSaved(String id) { }
        @Override public void stop(String app) { }
        @Override public void start(String app, String m, Optional<AppSpec> s, String v) { }
    };

    /** A release started but did not become healthy in time: the version is ghosted after the rollback. */
    final class HealthCheckFailedException extends RuntimeException {
        private final String app;
        private final String version;

        public HealthCheckFailedException(String app, String version, String reasons) {
            super("app " + app + " " + version + " is not healthy: " + reasons);
            this.app = app;
            this.version = version;
        }

        public String app() {
            return app;
        }

        public String version() {
            return version;
        }
    }

    /**
     * The app's service on this host was installed for another dataset: most likely another deploy declares an
     * app of the same name. Units and users are named after the app alone, so Zed refuses rather than take it over.
     */
    final class UnitConflictException extends RuntimeException {
        public UnitConflictException(String app, String service, String owner, DatasetName dataset) {
            super("app " + app + ": the systemd unit " + service + " on this host belongs to dataset " + owner
                    + ", not " + dataset.value() + " (another deploy's app '" + app + "'?). Apps are named uniquely per host:"
                    + " rename one, or remove the other deploy's unit first (systemctl disable --now " + service + ").");
        }
    }
}
