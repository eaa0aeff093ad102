package com.zed.beam;

import java.nio.file.Path;

/**
 * A release tarball has an entry Zed will not unpack. Thrown before anything is sent to the target, so nothing
 * of it is left there. The message names the tarball, the entry and the rule; {@link #problem()} says the same
 * for code.
 */
public final class UnsafeReleaseException extends ReleaseException {
    public enum Problem {
        /** Not a gzip-compressed tar archive, or a damaged one. */
        NOT_A_TARBALL,
        /** A name starting with {@code /}. */
        ABSOLUTE_PATH,
        /** A {@code ..} component in a name or a hard link's target. */
        PARENT_COMPONENT,
        /** Control characters in a name, or a name that is the release root itself but not a directory. */
        BAD_NAME,
        /** A character or block device. */
        DEVICE,
        /** A named pipe. */
        FIFO,
        /** Any other entry type (sparse files, volume headers, ...). */
        UNSUPPORTED_TYPE,
        /** A symbolic or hard link that resolves outside the release directory (or an absolute symlink). */
        LINK_OUTSIDE,
        /** A hard link to something that is not a regular file earlier in the archive. */
        LINK_TARGET,
        /** Symbolic links that resolve through each other without end. */
        LINK_LOOP,
        /** An entry below a symbolic link or a file of the archive: it would be written elsewhere. */
        THROUGH_LINK,
        /** The same name twice (but for directories): the later entry would replace the checked one. */
        DUPLICATE,
        /** The tarball changed between the check and the copy sent to the target. */
        CHANGED
    }

    private final String entry;
    private final Problem problem;

    public UnsafeReleaseException(String app, String version, Path path, String entry, Problem problem, String message) {
        super(Reason.UNSAFE_CONTENT, app, version, path, message);
        this.entry = entry;
        this.problem = problem;
    }

    /** The offending entry's name as the archive has it (control characters escaped); null for the whole archive. */
    public String entry() {
        return entry;
    }

    public Problem problem() {
        return problem;
    }
}
