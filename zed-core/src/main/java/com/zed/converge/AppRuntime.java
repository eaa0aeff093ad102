package com.zed.converge;

import com.zed.model.AppSpec;
import com.zed.zfs.DatasetName;

import java.util.Optional;

/**
 * What converge needs from the thing that runs app releases (the BEAM runtime on a platform).
 * Converge owns ZFS state and rollback; the runtime owns release files and processes.
 */
public interface AppRuntime {

    /** Before anything changes: can this release be had (present, checksum right)? Throws if not. */
    void check(AppSpec app);

    /** Unpack, pre-commands, switch {@code current}, (re)start, wait healthy. Throws on any failure. */
    void deploy(AppSpec app, DatasetName dataset, String mountpoint, Optional<String> fromVersion);

    /** Stop the app before its dataset is rolled back. */
    void stop(AppSpec app);

    /** After a rollback restored the files: run the previous release again (if there was one). */
    void restore(AppSpec app, String mountpoint, Optional<String> fromVersion);

    /** The runtime for deploys that only record versions in ZFS (no release handling). */
    AppRuntime RECORD_ONLY = new AppRuntime() {
        @Override public void check(AppSpec app) { }
        @Override public void deploy(AppSpec app, DatasetName d, String m, Optional<String> f) { }
        @Override public void stop(AppSpec app) { }
        @Override public void restore(AppSpec app, String m, Optional<String> f) { }
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
}
