package com.zed.beam;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A release tarball found in a {@link ReleaseStore} whose checksum was verified when it was located.
 *
 * @param app     the application (release) name, e.g. {@code tiny}
 * @param version the release version, e.g. {@code 1.0.1}
 * @param path    the tarball, {@code <root>/<app>/<app>-<version>.tar.gz}
 * @param sha256  the tarball's SHA-256, lower-case hex (computed, and equal to the one in its {@code .sha256} file)
 * @param size    the tarball's size in bytes
 */
public record Release(String app, String version, Path path, String sha256, long size) {
    public Release {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** {@code <app>-<version>.tar.gz}: the tarball's file name in the store. */
    public String fileName() {
        return ReleaseStore.fileName(app, version);
    }

    /** The checksum file beside the tarball. */
    public Path checksumPath() {
        return path.resolveSibling(path.getFileName() + ReleaseStore.CHECKSUM_SUFFIX);
    }

    @Override
    public String toString() {
        return app + " " + version + " (" + path + ", " + size + " bytes, sha256 " + sha256 + ")";
    }
}
