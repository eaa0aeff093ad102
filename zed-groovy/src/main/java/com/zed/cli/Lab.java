package com.zed.cli;

import com.zed.exec.SshTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the lab VM that {@code scripts/lab up} started, from its run directory
 * ({@code $ZED_LAB_RUN}, else {@code $ZED_LAB_CACHE/run}, else {@code ~/.cache/zed/lab/run}).
 */
public final class Lab {
    private Lab() {
    }

    public static Path runDir() {
        String run = System.getenv("ZED_LAB_RUN");
        if (run != null && !run.isBlank()) {
            return Path.of(run);
        }
        String cache = System.getenv("ZED_LAB_CACHE");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "zed", "lab");
        return base.resolve("run");
    }

    /** The lab's SSH target when a lab VM is up (its qemu pid alive), else empty with {@link #whyNot()}. */
    public static Optional<SshTarget> target() {
        return whyNot() == null ? Optional.of(read(runDir())) : Optional.empty();
    }

    /** Why the lab cannot be used, or null when it can. */
    public static String whyNot() {
        return whyNot(runDir());
    }

    /** Why the lab whose run directory is {@code dir} cannot be used, or null when it can. */
    public static String whyNot(Path dir) {
        Path pidFile = dir.resolve("qemu.pid");
        if (!Files.exists(pidFile)) {
            return "no lab VM is running (no " + pidFile + "); start one with scripts/lab up";
        }
        try {
            String pid = Files.readString(pidFile).strip();
            Path stat = Path.of("/proc", pid, "stat");
            if (!Files.exists(stat) || Files.readString(stat).split(" ")[2].equals("Z")) {
                return "the lab VM (pid " + pid + ") is not running; start it with scripts/lab up";
            }
        } catch (IOException e) {
            return "cannot read the lab's pid file: " + e.getMessage();
        }
        for (String f : new String[] {"port", "id_ed25519", "known_hosts"}) {
            if (!Files.exists(dir.resolve(f))) {
                return "lab run directory " + dir + " has no '" + f + "'; restart with scripts/lab down && scripts/lab up";
            }
        }
        return null;
    }

    private static SshTarget read(Path dir) {
        try {
            int port = Integer.parseInt(Files.readString(dir.resolve("port")).strip());
            return new SshTarget("root", "127.0.0.1", port, dir.resolve("id_ed25519"), dir.resolve("known_hosts"));
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the lab's settings in " + dir + ": " + e.getMessage(), e);
        }
    }
}
