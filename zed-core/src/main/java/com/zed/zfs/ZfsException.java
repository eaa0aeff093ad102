package com.zed.zfs;

import java.util.List;

/**
 * zfs (or zpool) exited non-zero. Keeps the command, its exit code and its stderr verbatim;
 * {@link #reason()} classifies the failure so callers can act on it.
 */
public class ZfsException extends RuntimeException {
    public enum Reason {
        NOT_FOUND, EXISTS, BUSY, HELD, NEWER_SNAPSHOTS, DEPENDENT_CLONES, HAS_CHILDREN, NO_SUCH_HOLD, HOLD_EXISTS,
        PERMISSION, NO_SPACE, INVALID, TOOLS_MISSING, OTHER
    }

    private final List<String> argv;
    private final int exitCode;
    private final String stderr;
    private final Reason reason;

    public ZfsException(Reason reason, List<String> argv, int exitCode, String stderr) {
        super(message(argv, exitCode, stderr));
        this.reason = reason;
        this.argv = List.copyOf(argv);
        this.exitCode = exitCode;
        this.stderr = stderr;
    }

    protected ZfsException(Reason reason, String message, List<String> argv, int exitCode, String stderr) {
        super(message);
        this.reason = reason;
        this.argv = List.copyOf(argv);
        this.exitCode = exitCode;
        this.stderr = stderr;
    }

    private static String message(List<String> argv, int code, String stderr) {
        String first = stderr.strip().lines().findFirst().orElse("(no message)");
        return first + " [" + String.join(" ", argv) + " → exit " + code + "]";
    }

    public List<String> argv() {
        return argv;
    }

    public int exitCode() {
        return exitCode;
    }

    public String stderr() {
        return stderr;
    }

    public Reason reason() {
        return reason;
    }

    /** Builds the most specific exception for a failed zfs command from its stderr. */
    public static ZfsException classify(List<String> argv, int code, String stderr) {
        String e = stderr.toLowerCase();
        if (code == 127 || e.contains("command not found") || e.contains(": not found")) {
            return new ZfsToolsMissingException(argv.get(0), null);
        }
        if (e.contains("more recent snapshots or bookmarks exist")) {
            return new NewerSnapshotsException(argv, code, stderr);
        }
        if (e.contains("dependent clones")) {
            return new DatasetBusyException(Reason.DEPENDENT_CLONES, argv, code, stderr);
        }
        // 2.1 says "dataset is busy" for a held snapshot, 2.3 "it's being held"
        if (e.contains("being held")) {
            return new DatasetBusyException(Reason.HELD, argv, code, stderr);
        }
        if (e.contains("dataset is busy") || e.contains("pool or dataset is busy") || e.contains("device or resource busy")) {
            return new DatasetBusyException(Reason.BUSY, argv, code, stderr);
        }
        if (e.contains("dataset already exists") || e.contains("destination already exists")
                || e.contains("destination") && e.contains("exists")) {
            return new DatasetExistsException(argv, code, stderr);
        }
        if (e.contains("does not exist") || e.contains("could not find any snapshots")
                || e.contains("no such pool or dataset")) {
            return new DatasetNotFoundException(argv, code, stderr);
        }
        if (e.contains("has children")) {
            return new ZfsException(Reason.HAS_CHILDREN, argv, code, stderr);
        }
        if (e.contains("no such tag")) {
            return new ZfsException(Reason.NO_SUCH_HOLD, argv, code, stderr);
        }
        if (e.contains("tag already exists")) {
            return new ZfsException(Reason.HOLD_EXISTS, argv, code, stderr);
        }
        if (e.contains("permission denied")) {
            return new ZfsException(Reason.PERMISSION, argv, code, stderr);
        }
        if (e.contains("out of space")) {
            return new ZfsException(Reason.NO_SPACE, argv, code, stderr);
        }
        if (e.contains("invalid") || e.contains("bad property") || e.contains("usage:")
                || e.contains("must be one of") || e.contains("must be a") || e.contains("bad numeric value")) {
            return new ZfsException(Reason.INVALID, argv, code, stderr);
        }
        return new ZfsException(Reason.OTHER, argv, code, stderr);
    }

    /** The named dataset, snapshot or bookmark does not exist. */
    public static final class DatasetNotFoundException extends ZfsException {
        public DatasetNotFoundException(List<String> argv, int code, String stderr) {
            super(Reason.NOT_FOUND, argv, code, stderr);
        }
    }

    /** Creating, cloning, renaming or receiving onto a name that is taken. */
    public static final class DatasetExistsException extends ZfsException {
        public DatasetExistsException(List<String> argv, int code, String stderr) {
            super(Reason.EXISTS, argv, code, stderr);
        }
    }

    /** Busy: in use, held (reason HELD on 2.3; BUSY on 2.1), or (DEPENDENT_CLONES) the origin of a clone. */
    public static final class DatasetBusyException extends ZfsException {
        public DatasetBusyException(Reason reason, List<String> argv, int code, String stderr) {
            super(reason, argv, code, stderr);
        }
    }

    /** A rollback refused because newer snapshots or bookmarks would be destroyed. */
    public static final class NewerSnapshotsException extends ZfsException {
        public NewerSnapshotsException(List<String> argv, int code, String stderr) {
            super(Reason.NEWER_SNAPSHOTS, argv, code, stderr);
        }
    }

    /** No zfs binary where the command ran. */
    public static final class ZfsToolsMissingException extends ZfsException {
        public ZfsToolsMissingException(String program, Throwable cause) {
            super(Reason.TOOLS_MISSING, "ZFS tools not found ('" + program + "'); use scripts/lab for a local lab",
                    List.of(program), 127, "");
            if (cause != null) {
                initCause(cause);
            }
        }
    }
}
