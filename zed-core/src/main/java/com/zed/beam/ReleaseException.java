package com.zed.beam;

import java.nio.file.Path;

/**
 * A release could not be located or did not verify. The message names the app, the version, the file and what is
 * wrong; {@link #reason()} says the same for code.
 */
public class ReleaseException extends RuntimeException {
    public enum Reason {
        /** The app or version is not a plain name (it could point outside the store). */
        INVALID_NAME,
        /** No tarball at the expected path. */
        MISSING_TARBALL,
        /** The tarball is there, its {@code .sha256} file is not. */
        MISSING_CHECKSUM,
        /** The {@code .sha256} file is not in sha256sum format, or names another file. */
        MALFORMED_CHECKSUM,
        /** The tarball's SHA-256 is not the one its {@code .sha256} file records. */
        CHECKSUM_MISMATCH,
        /** Reading the store failed (permissions, I/O). */
        UNREADABLE,
        /** The tarball has an entry Zed refuses to unpack ({@link UnsafeReleaseException}). */
        UNSAFE_CONTENT
    }

    private final Reason reason;
    private final String app;
    private final String version;
    private final Path path;

    public ReleaseException(Reason reason, String app, String version, Path path, String message) {
        this(reason, app, version, path, message, null);
    }

    public ReleaseException(Reason reason, String app, String version, Path path, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.app = app;
        this.version = version;
        this.path = path;
    }

    public Reason reason() {
        return reason;
    }

    public String app() {
        return app;
    }

    /** The version asked for; null when the failure is about a whole app (listing its versions). */
    public String version() {
        return version;
    }

    /** The file or directory concerned; null when the name was rejected before any path was made. */
    public Path path() {
        return path;
    }
}
