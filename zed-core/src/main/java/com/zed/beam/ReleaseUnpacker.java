package com.zed.beam;

import com.zed.beam.UnsafeReleaseException.Problem;
import com.zed.exec.CommandResult;
import com.zed.exec.CommandRunner;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Unpacks a release tarball onto the target safely. The tarball is read here, on the machine running Zed, and
 * every entry is checked before a byte is sent: names must stay inside the release directory (no absolute
 * paths, no {@code ..}), links must resolve inside it, and only directories, regular files, symbolic links and
 * hard links to files of the archive are allowed (no devices, FIFOs, sparse files). Then a <em>sanitized</em>
 * copy is streamed to {@code tar -x} on the target: every entry owned by root (uid/gid 0), directories and
 * executables 755, other files 644 (so no setuid, setgid or sticky bit, and nothing writable but by root), and an
 * explicit directory entry before each directory's first child. The target's tar therefore never sees the
 * original archive, only what was checked; a refused tarball leaves nothing behind because nothing was sent.
 */
public final class ReleaseUnpacker {
    /** Symbolic links followed while resolving one link, as the kernel's limit. */
    private static final int MAX_LINK_DEPTH = 40;

    public enum Kind { DIRECTORY, FILE, SYMLINK, HARDLINK }

    /**
     * One entry as it will be sent.
     *
     * @param name     the normalized path inside the release ({@code a/b}, no leading {@code ./}, no trailing {@code /})
     * @param mode     the permission bits it gets on the target
     * @param link     a link's target (as in the archive), else null
     * @param stripped whether the archive had setuid, setgid or sticky bits on it (dropped)
     */
    public record Entry(String name, Kind kind, int mode, String link, long size, boolean stripped) { }

    /** A checked archive: its entries in archive order, and the names whose special bits are dropped. */
    public record Plan(List<Entry> entries) {
        public Plan {
            entries = List.copyOf(entries);
        }

        public List<String> stripped() {
            return entries.stream().filter(Entry::stripped).map(Entry::name).toList();
        }

        public long count(Kind kind) {
            return entries.stream().filter(e -> e.kind() == kind).count();
        }

        public long bytes() {
            return entries.stream().filter(e -> e.kind() == Kind.FILE).mapToLong(Entry::size).sum();
        }
    }

    /** What a message names: the release (when known) and the tarball. */
    private record Source(String app, String version, Path path, String label) {
        UnsafeReleaseException refuse(String entry, Problem problem, String why) {
            String who = app == null ? label : app + " " + version + ": " + label;
            String what = entry == null ? "" : "entry '" + entry + "' ";
            return new UnsafeReleaseException(app, version, path, entry, problem,
                    who + ": " + what + why + "; refused, nothing was unpacked");
        }
    }

    private ReleaseUnpacker() {
    }

    /** The command that receives the sanitized archive on the target: owners are not taken from it. */
    public static List<String> extractCommand(String dir) {
        return List.of("tar", "-x", "-z", "-f", "-", "--no-same-owner", "--same-permissions", "-C", dir);
    }

    /**
     * Checks the release, creates {@code dir} (root's, 755, with its parents) and streams the sanitized archive
     * into it. Throws {@link UnsafeReleaseException} before anything is sent or created when an entry is refused.
     *
     * @return what was unpacked (e.g. {@link Plan#stripped()} to report)
     */
    public static Plan unpack(CommandRunner runner, Release release, String dir) {
        if (!dir.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute directory: " + dir);
        }
        Source src = new Source(release.app(), release.version(), release.path(), release.fileName());
        Plan plan;
        try (InputStream in = Files.newInputStream(release.path())) {
            plan = check(in, src);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + release.path() + " failed", e);
        }
        check(runner.run(List.of("install", "-d", "-m", "755", dir)), "install -d " + dir);
        stream(runner, release, plan, src, dir);
        return plan;
    }

    /** Checks a release's tarball without sending anything. */
    public static Plan check(Release release) {
        try (InputStream in = Files.newInputStream(release.path())) {
            return check(in, new Source(release.app(), release.version(), release.path(), release.fileName()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + release.path() + " failed", e);
        }
    }

    /** Checks a gzip-compressed tar archive; {@code label} names it in messages. */
    public static Plan check(InputStream gzipped, String label) {
        return check(gzipped, new Source(null, null, null, label));
    }

    /** Writes the sanitized, gzip-compressed archive of a checked plan; the input must be the same archive. */
    public static void writeSanitized(InputStream gzipped, Plan plan, String label, OutputStream out) throws IOException {
        writeSanitized(gzipped, plan, new Source(null, null, null, label), out);
    }

    // ---- checking ---------------------------------------------------------------------------------------

    private static Plan check(InputStream gzipped, Source src) {
        var entries = new ArrayList<Entry>();
        var byName = new HashMap<String, Entry>();
        try (TarArchiveInputStream tin = open(gzipped)) {
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                Entry x = classify(e, src);
                if (x == null) {
                    continue;
                }
                Entry before = byName.get(x.name());
                if (before != null) {
                    if (before.kind() == Kind.DIRECTORY && x.kind() == Kind.DIRECTORY) {
                        continue;
                    }
                    throw src.refuse(show(e.getName()), Problem.DUPLICATE, "appears twice in the archive");
                }
                if (x.kind() == Kind.HARDLINK) {
                    Entry target = byName.get(x.link());
                    if (target == null || target.kind() != Kind.FILE) {
                        throw src.refuse(show(e.getName()), Problem.LINK_TARGET, "is a hard link to '" + show(e.getLinkName())
                                + "', which is not a regular file earlier in the archive");
                    }
                }
                entries.add(x);
                byName.put(x.name(), x);
            }
        } catch (IOException | RuntimeException ex) {
            if (ex instanceof UnsafeReleaseException u) {
                throw u;
            }
            throw src.refuse(null, Problem.NOT_A_TARBALL, "is not a readable gzip-compressed tar archive (" + ex.getMessage() + ")");
        }
        var symlinks = new HashMap<String, String>();
        for (Entry x : entries) {
            if (x.kind() == Kind.SYMLINK) {
                symlinks.put(x.name(), x.link());
            }
        }
        for (Entry x : entries) {
            // nothing may be written below a link or a file of the archive: tar would follow it, or fail half-way
            String[] parts = x.name().split("/");
            var prefix = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                prefix.append(i == 0 ? "" : "/").append(parts[i]);
                Entry above = byName.get(prefix.toString());
                if (above != null && above.kind() != Kind.DIRECTORY) {
                    throw src.refuse(x.name(), Problem.THROUGH_LINK, "lies below '" + above.name() + "', "
                            + (above.kind() == Kind.SYMLINK ? "a symbolic link" : "not a directory") + " of the archive");
                }
            }
            if (x.kind() == Kind.SYMLINK) {
                var dir = new ArrayList<>(List.of(parts).subList(0, parts.length - 1));
                Resolution r = resolve(dir, x.link(), symlinks, 0);
                if (r == Resolution.LOOP) {
                    throw src.refuse(x.name(), Problem.LINK_LOOP, "is a symbolic link to '" + show(x.link())
                            + "' that never resolves (a loop of links)");
                }
                if (r == Resolution.ESCAPES) {
                    throw src.refuse(x.name(), Problem.LINK_OUTSIDE, "is a symbolic link to '" + show(x.link())
                            + "', outside the release directory");
                }
            }
        }
        return new Plan(entries);
    }

    /** The checked entry, or null for the release root itself ({@code ./}). */
    private static Entry classify(TarArchiveEntry e, Source src) {
        String raw = e.getName();
        String shown = show(raw);
        if (hasBadCharacters(raw)) {
            throw src.refuse(shown, Problem.BAD_NAME, "has control characters or is not valid UTF-8 in its name");
        }
        if (raw.startsWith("/")) {
            throw src.refuse(shown, Problem.ABSOLUTE_PATH, "is an absolute path");
        }
        List<String> parts = components(raw);
        if (parts.contains("..")) {
            throw src.refuse(shown, Problem.PARENT_COMPONENT, "has a '..' component");
        }
        Kind kind = kind(e, src, shown);
        if (parts.isEmpty()) {
            if (kind == Kind.DIRECTORY) {
                return null;
            }
            throw src.refuse(shown, Problem.BAD_NAME, "names the release directory itself but is not a directory");
        }
        String name = String.join("/", parts);
        int mode = e.getMode();
        boolean special = (mode & 07000) != 0 && (kind == Kind.FILE || kind == Kind.DIRECTORY);
        return switch (kind) {
            case DIRECTORY -> new Entry(name, kind, 0755, null, 0, special);
            case FILE -> new Entry(name, kind, (mode & 0111) != 0 ? 0755 : 0644, null, e.getSize(), special);
            case SYMLINK -> {
                String target = e.getLinkName();
                if (target == null || target.isEmpty()) {
                    throw src.refuse(shown, Problem.LINK_OUTSIDE, "is a symbolic link without a target");
                }
                if (hasBadCharacters(target)) {
                    throw src.refuse(shown, Problem.BAD_NAME, "is a symbolic link whose target has control characters");
                }
                if (target.startsWith("/")) {
                    throw src.refuse(shown, Problem.LINK_OUTSIDE, "is a symbolic link to the absolute path '" + show(target) + "'");
                }
                yield new Entry(name, kind, 0777, target, 0, false);
            }
            case HARDLINK -> {
                String target = e.getLinkName();
                if (target == null || target.isEmpty() || hasBadCharacters(target) || target.startsWith("/")
                        || components(target).contains("..") || components(target).isEmpty()) {
                    throw src.refuse(shown, Problem.LINK_OUTSIDE, "is a hard link to '" + show(String.valueOf(target))
                            + "', outside the release directory");
                }
                yield new Entry(name, kind, 0644, String.join("/", components(target)), 0, false);
            }
        };
    }

    private static Kind kind(TarArchiveEntry e, Source src, String shown) {
        byte flag = e.getLinkFlag();
        if (e.isCharacterDevice() || e.isBlockDevice()) {
            throw src.refuse(shown, Problem.DEVICE, "is a device node");
        }
        if (e.isFIFO()) {
            throw src.refuse(shown, Problem.FIFO, "is a named pipe (FIFO)");
        }
        if (e.isSparse() || e.isGNUSparse() || e.isPaxGNUSparse() || e.isStarSparse() || e.isOldGNUSparse()) {
            throw src.refuse(shown, Problem.UNSUPPORTED_TYPE, "is a sparse file, which a release has no use for");
        }
        if (flag == TarConstants.LF_DIR) {
            return Kind.DIRECTORY;
        }
        if (flag == TarConstants.LF_SYMLINK) {
            return Kind.SYMLINK;
        }
        if (flag == TarConstants.LF_LINK) {
            return Kind.HARDLINK;
        }
        if (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG) {
            // old archives mark directories only by a trailing slash
            return e.getName().endsWith("/") ? Kind.DIRECTORY : Kind.FILE;
        }
        throw src.refuse(shown, Problem.UNSUPPORTED_TYPE, "has the unsupported entry type '" + (char) flag + "'");
    }

    private enum Resolution { INSIDE, ESCAPES, LOOP }

    /**
     * Resolves {@code target} relative to {@code dir} (components below the release root) the way the kernel
     * would once unpacked: {@code ..} after a link goes up from where the link points, not from where it is.
     * Paths that are not links of the archive are directories or files it creates (the directory starts empty).
     */
    private static Resolution resolve(List<String> dir, String target, Map<String, String> symlinks, int depth) {
        return resolveInto(dir, target, symlinks, depth, new ArrayList<>());
    }

    /** {@link #resolve}, also giving where it ends. */
    private static Resolution resolveInto(List<String> dir, String target, Map<String, String> symlinks, int depth,
                                          List<String> into) {
        if (depth > MAX_LINK_DEPTH) {
            return Resolution.LOOP;
        }
        if (target.startsWith("/")) {
            return Resolution.ESCAPES;
        }
        Deque<String> cur = new ArrayDeque<>(dir);
        for (String c : target.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (cur.isEmpty()) {
                    return Resolution.ESCAPES;
                }
                cur.removeLast();
                continue;
            }
            cur.addLast(c);
            String link = symlinks.get(String.join("/", cur));
            if (link != null) {
                cur.removeLast();
                var resolved = new ArrayList<String>();
                Resolution r = resolveInto(new ArrayList<>(cur), link, symlinks, depth + 1, resolved);
                if (r != Resolution.INSIDE) {
                    return r;
                }
                cur = new ArrayDeque<>(resolved);
            }
        }
        into.addAll(cur);
        return Resolution.INSIDE;
    }

    // ---- sending ----------------------------------------------------------------------------------------

    private static void stream(CommandRunner runner, Release release, Plan plan, Source src, String dir) {
        var failure = new AtomicReference<Throwable>();
        PipedInputStream pipeIn = new PipedInputStream(1 << 20);
        PipedOutputStream pipeOut;
        try {
            pipeOut = new PipedOutputStream(pipeIn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread writer = new Thread(() -> {
            try (OutputStream out = pipeOut; InputStream in = Files.newInputStream(release.path())) {
                writeSanitized(in, plan, src, out);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "release-unpack-writer");
        writer.setDaemon(true);
        writer.start();
        // An end of stream after a failure must not look like the end of the archive to the target's tar.
        InputStream checked = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = pipeIn.read(b, off, len);
                if (n < 0 && failure.get() != null) {
                    throw new IOException("writing the sanitized archive failed", failure.get());
                }
                return n;
            }
        };
        CommandResult r;
        try {
            r = runner.run(extractCommand(dir), checked, com.zed.exec.Timeouts.Kind.UNPACK);
        } catch (UncheckedIOException e) {
            rethrow(failure.get());
            throw e;
        } finally {
            try {
                pipeIn.close();
                writer.join();
            } catch (IOException ignored) {
                // the writer sees a closed pipe and stops
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        rethrow(failure.get());
        check(r, "unpacking " + release.fileName() + " into " + dir);
    }

    private static void rethrow(Throwable t) {
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof IOException io) {
            throw new UncheckedIOException("writing the sanitized archive failed", io);
        }
        throw new IllegalStateException("writing the sanitized archive failed", t);
    }

    private static void writeSanitized(InputStream gzipped, Plan plan, Source src, OutputStream out) throws IOException {
        var emittedDirs = new HashSet<String>();
        var explicitDirs = new HashSet<String>();
        var gz = new GZIPOutputStream(out, 1 << 16);
        var tout = new TarArchiveOutputStream(gz, "UTF-8");
        tout.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tout.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tout.setAddPaxHeadersForNonAsciiNames(true);
        int i = 0;
        try (TarArchiveInputStream tin = open(gzipped)) {
            TarArchiveEntry e;
            while ((e = tin.getNextEntry()) != null) {
                Entry x;
                try {
                    x = classify(e, src);
                } catch (UnsafeReleaseException u) {
                    throw src.refuse(u.entry(), Problem.CHANGED, "changed after it was checked");
                }
                if (x == null) {
                    continue;
                }
                if (x.kind() == Kind.DIRECTORY && !explicitDirs.add(x.name())) {
                    continue; // a repeated directory, as the check allowed
                }
                Entry planned = i < plan.entries().size() ? plan.entries().get(i) : null;
                if (!x.equals(planned)) {
                    throw src.refuse(x.name(), Problem.CHANGED, "is not what was checked: the tarball changed");
                }
                i++;
                parents(x.name(), emittedDirs, tout, e);
                TarArchiveEntry o;
                switch (x.kind()) {
                    case DIRECTORY -> {
                        if (!emittedDirs.add(x.name())) {
                            continue; // sent already as a parent, with the same owner and mode
                        }
                        o = new TarArchiveEntry(x.name() + "/", TarConstants.LF_DIR, true);
                    }
                    case FILE -> {
                        o = new TarArchiveEntry(x.name(), TarConstants.LF_NORMAL, true);
                        o.setSize(x.size());
                    }
                    case SYMLINK -> {
                        o = new TarArchiveEntry(x.name(), TarConstants.LF_SYMLINK, true);
                        o.setLinkName(x.link());
                    }
                    case HARDLINK -> {
                        o = new TarArchiveEntry(x.name(), TarConstants.LF_LINK, true);
                        o.setLinkName(x.link());
                    }
                    default -> throw new IllegalStateException();
                }
                own(o, x.mode(), e);
                tout.putArchiveEntry(o);
                if (x.kind() == Kind.FILE) {
                    long copied = copy(tin, tout, x.size());
                    if (copied != x.size()) {
                        throw src.refuse(x.name(), Problem.CHANGED, "is shorter than its header says");
                    }
                }
                tout.closeArchiveEntry();
            }
        }
        if (i != plan.entries().size()) {
            throw src.refuse(null, Problem.CHANGED, "has fewer entries than were checked: the tarball changed");
        }
        tout.finish();
        gz.finish();
        out.flush();
    }

    /** An explicit directory entry (755, root) for each parent not sent yet, so no mode depends on the target's umask. */
    private static void parents(String name, Set<String> emitted, TarArchiveOutputStream tout, TarArchiveEntry from)
            throws IOException {
        int slash = -1;
        while ((slash = name.indexOf('/', slash + 1)) > 0) {
            String dir = name.substring(0, slash);
            if (emitted.add(dir)) {
                var d = new TarArchiveEntry(dir + "/", TarConstants.LF_DIR, true);
                own(d, 0755, from);
                tout.putArchiveEntry(d);
                tout.closeArchiveEntry();
            }
        }
    }

    private static void own(TarArchiveEntry o, int mode, TarArchiveEntry from) {
        o.setMode(mode);
        o.setIds(0, 0);
        o.setUserName("root");
        o.setGroupName("root");
        o.setModTime(from.getModTime());
    }

    private static long copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            left -= n;
        }
        return size - left;
    }

    // ---- names ------------------------------------------------------------------------------------------

    private static TarArchiveInputStream open(InputStream gzipped) throws IOException {
        return new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(gzipped, 1 << 16), 1 << 16), "UTF-8");
    }

    private static List<String> components(String name) {
        var out = new ArrayList<String>();
        for (String c : name.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean hasBadCharacters(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0xfffd);
    }

    /** A name as messages show it: control characters escaped, so nothing in it can forge a log line. */
    static String show(String s) {
        var b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static void check(CommandResult r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException(what + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
        }
    }
}
