package com.zed.platform;

import com.zed.exec.CommandResult;
import com.zed.exec.CommandRunner;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Files Zed writes outside ZFS (a service's environment and definition), kept per transaction id
 * under {@code /etc/zed/saved/<id>/} (root-only) so that undoing that transaction, or rolling back to
 * its snapshot later, brings back exactly the files that ran with that state — never a generic
 * "previous" copy from some other deploy. A set is complete or absent: it is written under a
 * temporary name and renamed into place.
 */
public final class SavedFiles {
    static final String DIR = "/etc/zed/saved";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,200}");
    private final CommandRunner runner;

    public SavedFiles(CommandRunner runner) {
        this.runner = runner;
    }

    static String dir(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a transaction id: " + id);
        }
        return DIR + "/" + id;
    }

    private static String base(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Keeps copies of those of {@code files} that exist (modes and owners kept), as one set. */
    public void save(String id, List<String> files) {
        String d = dir(id);
        String tmp = d + ".tmp";
        check(runner.run(List.of("rm", "-rf", "--one-file-system", "--", tmp)), "rm " + tmp);
        check(runner.run(List.of("install", "-d", "-m", "700", DIR, tmp)), "install -d " + tmp);
        for (String f : files) {
            CommandResult r = runner.run(List.of("cp", "-p", "--", f, tmp + "/" + base(f)));
            if (!r.ok() && !r.stderr().contains("No such file")) {
                check(r, "keep " + f);
            }
        }
        check(runner.run(List.of("sync")), "sync");
        check(runner.run(List.of("mv", "-T", tmp, d)), "rename " + tmp);
    }

    /** Whether a complete set was kept under {@code id}. */
    public boolean has(String id) {
        return runner.run(List.of("test", "-d", dir(id))).ok();
    }

    /** Which of the files were kept (existed then) in the set {@code id}. */
    public Set<String> kept(String id) {
        CommandResult r = runner.run(List.of("ls", "-A", "--", dir(id)));
        check(r, "list " + dir(id));
        return Set.copyOf(r.stdout().lines().filter(l -> !l.isBlank()).toList());
    }

    /**
     * Puts each file back as it was kept (atomically, temp + rename), and removes those that did
     * not exist then. Returns false, changing nothing, when no set was kept under {@code id}.
     */
    public boolean restore(String id, List<String> files, Runnable beforeRemoving) {
        if (!has(id)) {
            return false;
        }
        Set<String> kept = kept(id);
        boolean removing = files.stream().anyMatch(f -> !kept.contains(base(f)));
        if (removing) {
            beforeRemoving.run();
        }
        for (String f : files) {
            if (kept.contains(base(f))) {
                String tmp = f + ".zed-tmp";
                check(runner.run(List.of("cp", "-p", "--", dir(id) + "/" + base(f), tmp)), "copy back " + f);
                check(runner.run(List.of("mv", "-f", "--", tmp, f)), "rename " + tmp);
            } else {
                check(runner.run(List.of("rm", "-f", "--", f)), "rm " + f);
            }
        }
        return true;
    }

    public void drop(String id) {
        check(runner.run(List.of("rm", "-rf", "--one-file-system", "--", dir(id))), "rm " + dir(id));
    }

    private static void check(CommandResult r, String what) {
        if (!r.ok()) {
            throw new LinuxSystemd.PlatformException(what + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
        }
    }
}
