package com.zed.zfs;

import com.zed.exec.CommandNotFoundException;
import com.zed.exec.CommandResult;
import com.zed.exec.CommandRunner;
import com.zed.exec.Drain;
import com.zed.exec.Execution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@link Zfs} over the {@code zfs} command line, through a {@link CommandRunner} (this host or SSH).
 * Uses only flags common to OpenZFS 2.x on Linux/FreeBSD and illumos ZFS: {@code -H -p -o -r -t}.
 */
public final class ZfsCli implements Zfs {
    private final CommandRunner runner;
    private final String zfs;
    private final Consumer<CommandResult> observer;

    public ZfsCli(CommandRunner runner) {
        this(runner, "zfs", r -> { });
    }

    /**
     * @param zfsPath  the zfs binary (name or path) on the target host
     * @param observer sees every finished command (verbose logs, latency figures)
     */
    public ZfsCli(CommandRunner runner, String zfsPath, Consumer<CommandResult> observer) {
        this.runner = Objects.requireNonNull(runner);
        this.zfs = zfsPath;
        this.observer = observer;
    }

    public CommandRunner runner() {
        return runner;
    }

    // ---- running ------------------------------------------------------------------------------

    private List<String> argv(String... args) {
        var a = new ArrayList<String>(args.length + 1);
        a.add(zfs);
        a.addAll(List.of(args));
        return a;
    }

    /** Runs zfs with the given arguments; returns stdout or throws the classified failure. */
    String exec(List<String> argv) {
        CommandResult r;
        try {
            r = runner.run(argv);
        } catch (CommandNotFoundException e) {
            throw new ZfsException.ZfsToolsMissingException(argv.get(0), e);
        }
        observer.accept(r);
        if (!r.ok()) {
            throw ZfsException.classify(argv, r.exitCode(), r.stderr());
        }
        return r.stdout();
    }

    private static String props(Map<PropertyName, String> props) {
        return props.entrySet().stream().map(e -> e.getKey() + "=" + e.getKey().checkValue(e.getValue()))
                .collect(Collectors.joining(","));
    }

    private static void addOptions(List<String> a, String flag, Map<PropertyName, String> props) {
        // Sorted so the command (and any log of it) is the same for the same request.
        props.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            a.add(flag);
            a.add(e.getKey() + "=" + e.getKey().checkValue(e.getValue()));
        });
    }

    // ---- reading ------------------------------------------------------------------------------

    @Override
    public String version() {
        return exec(argv("version")).lines().findFirst().orElse("").strip();
    }

    @Override
    public boolean exists(String name) {
        checkAnyName(name);
        try {
            exec(argv("list", "-H", "-o", "name", "-t", "all", name));
            return true;
        } catch (ZfsException.DatasetNotFoundException e) {
            return false;
        }
    }

    @Override
    public PropertyTable properties(DatasetName root, boolean recursive) {
        var a = argv("get", "-H", "-p", "-o", "name,property,value,source", "-t", "filesystem,volume");
        if (recursive) {
            a.add("-r");
        }
        a.add("all");
        a.add(root.value());
        return PropertyTable.parse(exec(a));
    }

    @Override
    public PropertyTable properties(String name, List<PropertyName> props) {
        checkAnyName(name);
        if (props.isEmpty()) {
            throw new IllegalArgumentException("no properties asked for");
        }
        var list = props.stream().map(PropertyName::value).collect(Collectors.joining(","));
        return PropertyTable.parse(exec(argv("get", "-H", "-p", "-o", "name,property,value,source", list, name)));
    }

    @Override
    public List<SnapshotInfo> snapshots(DatasetName root, boolean recursive) {
        var a = argv("get", "-H", "-p", "-o", "name,property,value,source", "-t", "snapshot");
        a.add(recursive ? "-r" : "-d");
        if (!recursive) {
            a.add("1");
        }
        a.add("all");
        a.add(root.value());
        return SnapshotInfo.parse(exec(a));
    }

    @Override
    public List<Hold> holds(SnapshotName snap) {
        var out = new ArrayList<Hold>();
        for (String line : exec(argv("holds", "-H", snap.value())).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 2) {
                throw new ZfsParseException("zfs holds: unexpected line: " + Names.printable(line));
            }
            out.add(new Hold(SnapshotName.of(f[0]), f[1]));
        }
        return out;
    }

    @Override
    public List<BookmarkName> bookmarks(DatasetName dataset) {
        return exec(argv("list", "-H", "-o", "name", "-t", "bookmark", "-d", "1", dataset.value())).lines()
                .filter(l -> !l.isBlank()).map(BookmarkName::of).toList();
    }

    @Override
    public List<DiffEntry> diff(SnapshotName from, String to) {
        checkAnyName(to);
        return DiffEntry.parse(exec(argv("diff", "-F", "-H", "-t", from.value(), to)));
    }

    // ---- changing -----------------------------------------------------------------------------

    @Override
    public void create(DatasetName name, Map<PropertyName, String> props, boolean parents) {
        var a = argv("create");
        if (parents) {
            a.add("-p");
        }
        addOptions(a, "-o", props);
        a.add(name.value());
        exec(a);
    }

    @Override
    public void set(String name, Map<PropertyName, String> props) {
        checkAnyName(name);
        if (props.isEmpty()) {
            return;
        }
        var a = argv("set");
        props.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> a.add(e.getKey() + "=" + e.getKey().checkValue(e.getValue())));
        a.add(name);
        exec(a);
    }

    @Override
    public void inherit(String name, PropertyName prop, boolean recursive, boolean received) {
        checkAnyName(name);
        var a = argv("inherit");
        if (recursive) {
            a.add("-r");
        }
        if (received) {
            a.add("-S");
        }
        a.add(prop.value());
        a.add(name);
        exec(a);
    }

    @Override
    public void snapshot(List<SnapshotName> snapshots, boolean recursive, Map<PropertyName, String> props) {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("no snapshots to take");
        }
        // All in one command: zfs takes them in one transaction group (consistent with each other).
        var pools = snapshots.stream().map(s -> s.dataset().pool()).distinct().count();
        if (pools > 1) {
            throw new IllegalArgumentException("an atomic snapshot cannot span pools: " + snapshots);
        }
        var a = argv("snapshot");
        if (recursive) {
            a.add("-r");
        }
        addOptions(a, "-o", props);
        snapshots.forEach(s -> a.add(s.value()));
        exec(a);
    }

    @Override
    public void rollback(SnapshotName snap, boolean destroyNewer) {
        var a = argv("rollback");
        if (destroyNewer) {
            a.add("-r");
        }
        a.add(snap.value());
        exec(a);
    }

    @Override
    public void clone(SnapshotName origin, DatasetName target, Map<PropertyName, String> props, boolean parents) {
        var a = argv("clone");
        if (parents) {
            a.add("-p");
        }
        addOptions(a, "-o", props);
        a.add(origin.value());
        a.add(target.value());
        exec(a);
    }

    @Override
    public void promote(DatasetName clone) {
        exec(argv("promote", clone.value()));
    }

    @Override
    public void rename(String from, String to, boolean parents) {
        boolean snaps = from.indexOf('@') >= 0;
        if (snaps) {
            var f = SnapshotName.of(from);
            var t = SnapshotName.of(to);
            if (!f.dataset().equals(t.dataset())) {
                throw new IllegalArgumentException("a snapshot can only be renamed within its dataset: " + from + " → " + to);
            }
            exec(argv("rename", from, to));
            return;
        }
        var f = DatasetName.of(from);
        var t = DatasetName.of(to);
        if (f.isPoolRoot() || t.isPoolRoot()) {
            throw new IllegalArgumentException("a pool's root dataset cannot be renamed with zfs rename: " + from);
        }
        var a = argv("rename");
        if (parents) {
            a.add("-p");
        }
        a.add(f.value());
        a.add(t.value());
        exec(a);
    }

    @Override
    public void hold(String tag, List<SnapshotName> snapshots, boolean recursive) {
        holdOrRelease("hold", tag, snapshots, recursive);
    }

    @Override
    public void release(String tag, List<SnapshotName> snapshots, boolean recursive) {
        holdOrRelease("release", tag, snapshots, recursive);
    }

    private void holdOrRelease(String verb, String tag, List<SnapshotName> snapshots, boolean recursive) {
        Hold.checkTag(tag);
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("no snapshots to " + verb);
        }
        var a = argv(verb);
        if (recursive) {
            a.add("-r");
        }
        a.add(tag);
        snapshots.forEach(s -> a.add(s.value()));
        exec(a);
    }

    @Override
    public void bookmark(SnapshotName snap, BookmarkName mark) {
        if (!snap.dataset().equals(mark.dataset())) {
            throw new IllegalArgumentException("a bookmark belongs to the snapshot's dataset: " + snap + " → " + mark);
        }
        exec(argv("bookmark", snap.value(), mark.value()));
    }

    @Override
    public void destroy(DatasetName name, DestroyMode mode) {
        if (name.isPoolRoot()) {
            throw new IllegalArgumentException("refusing to destroy the root dataset of pool '" + name + "'");
        }
        exec(destroyArgs(mode, name.value()));
    }

    @Override
    public void destroy(SnapshotName snap, DestroyMode mode) {
        exec(destroyArgs(mode, snap.value()));
    }

    @Override
    public void destroy(BookmarkName mark) {
        exec(argv("destroy", mark.value()));
    }

    private List<String> destroyArgs(DestroyMode mode, String name) {
        var a = argv("destroy");
        switch (Objects.requireNonNull(mode, "destroy mode")) {
            case SINGLE -> { }
            case RECURSIVE -> a.add("-r");
            case RECURSIVE_AND_CLONES -> a.add("-R");
        }
        a.add(name);
        return a;
    }

    // ---- streams ------------------------------------------------------------------------------

    @Override
    public Execution startSend(SendRequest r) {
        var a = argv("send");
        if (r.replicate()) {
            a.add("-R");
        }
        if (r.properties()) {
            a.add("-p");
        }
        if (r.raw()) {
            a.add("-w");
        }
        if (r.compressed()) {
            a.add("-c");
        }
        r.from().ifPresent(f -> {
            checkAnyName(f);
            a.add(r.intermediates() ? "-I" : "-i");
            a.add(f);
        });
        a.add(r.snapshot().value());
        return start(a);
    }

    @Override
    public Execution startReceive(ReceiveRequest r) {
        var a = argv("receive");
        if (r.force()) {
            a.add("-F");
        }
        if (r.noMount()) {
            a.add("-u");
        }
        if (r.resumable()) {
            a.add("-s");
        }
        addOptions(a, "-o", r.set());
        r.exclude().forEach(p -> {
            a.add("-x");
            a.add(p.value());
        });
        a.add(r.target().value());
        return start(a);
    }

    private Execution start(List<String> a) {
        try {
            return runner.start(a);
        } catch (CommandNotFoundException e) {
            throw new ZfsException.ZfsToolsMissingException(a.get(0), e);
        }
    }

    @Override
    public long sendTo(SendRequest send, Zfs target, ReceiveRequest receive) {
        long t0 = System.nanoTime();
        var sendArgs = describe(send);
        try (Execution tx = startSend(send); Execution rx = target.startReceive(receive)) {
            var txErr = Drain.start(tx.stderr(), "zfs-send-stderr");
            var rxErr = Drain.start(rx.stderr(), "zfs-receive-stderr");
            long bytes;
            IOException pipeError = null;
            try (InputStream in = tx.stdout(); OutputStream out = rx.stdin()) {
                bytes = in.transferTo(out);
            } catch (IOException e) {
                // The receiver died (or the sender's channel broke): the exit codes below say why.
                bytes = -1;
                pipeError = e;
            }
            int txCode = tx.waitFor();
            int rxCode = rx.waitFor();
            if (rxCode != 0) {
                throw ZfsException.classify(List.of(zfs, "receive", receive.target().value()), rxCode, rxErr.text());
            }
            if (txCode != 0) {
                throw ZfsException.classify(sendArgs, txCode, txErr.text());
            }
            if (pipeError != null) {
                throw new UncheckedIOException("send/receive pipe failed", pipeError);
            }
            observer.accept(new CommandResult(sendArgs, 0, "", "", java.time.Duration.ofNanos(System.nanoTime() - t0)));
            return bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during send/receive", e);
        }
    }

    private List<String> describe(SendRequest send) {
        var l = new ArrayList<String>(List.of(zfs, "send"));
        send.from().ifPresent(l::add);
        l.add(send.snapshot().value());
        return l;
    }

    /** Accepts a dataset, snapshot or bookmark name; throws {@link InvalidNameException} otherwise. */
    static void checkAnyName(String name) {
        if (name != null && name.indexOf('@') >= 0) {
            SnapshotName.of(name);
        } else if (name != null && name.indexOf('#') >= 0) {
            BookmarkName.of(name);
        } else {
            DatasetName.of(name);
        }
    }
}
