package com.zed.beam;

import java.nio.file.Path;

/** The tarball's SHA-256 differs from the one recorded beside it: both are kept. */
public class ReleaseChecksumMismatchException extends ReleaseException {
    private final String expected;
    private final String actual;

    public ReleaseChecksumMismatchException(String app, String version, Path path, String expected, String actual) {
        super(Reason.CHECKSUM_MISMATCH, app, version, path, app + " " + version + ": checksum mismatch for " + path
                + ": " + path.getFileName() + ReleaseStore.CHECKSUM_SUFFIX + " says sha256 " + expected
                + ", the tarball has sha256 " + actual + " (corrupt or replaced tarball?)");
        this.expected = expected;
        this.actual = actual;
    }

    /** The SHA-256 recorded in the {@code .sha256} file. */
    public String expected() {
        return expected;
    }

    /** The SHA-256 of the tarball as read. */
    public String actual() {
        return actual;
    }
}
