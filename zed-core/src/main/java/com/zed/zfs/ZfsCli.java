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
import java.util.Set;
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

    /** Runs zfs; the result whatever the exit code (the observer sees it). */
    private CommandResult run(List<String> argv) {
        CommandResult r;
        try {
            r = runner.run(argv, kind(argv));
        } catch (CommandNotFoundException e) {
            throw new ZfsException.ZfsToolsMissingException(argv.get(0), e);
        }
        observer.accept(r);
        if (r.exitCode() == 127) {
            throw ZfsException.classify(argv, r.exitCode(), r.stderr());
        }
        return r;
    }

    /** Reads are bounded by the read timeout, everything that changes a pool by the write timeout. */
    static com.zed.exec.Timeouts.Kind kind(List<String> argv) {
        int verb = argv.get(0).equals("env") ? 3 : 1;   // env LC_ALL=C.UTF-8 zfs get -j ...
        String v = verb < argv.size() ? argv.get(verb) : "";
        return switch (v) {   // sending and receiving stream through start(argv, timeout) instead
            case "get", "list", "holds", "version", "diff" -> com.zed.exec.Timeouts.Kind.READ;
            default -> com.zed.exec.Timeouts.Kind.WRITE;
        };
    }

    /** Runs zfs with the given arguments; returns stdout or throws the classified failure. */
    String exec(List<String> argv) {
        CommandResult r = run(argv);
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
        return read("filesystem,volume", recursive ? "-r" : null, List.of(), List.of(root.value()), false);
    }

    @Override
    public PropertyTable properties(String name, List<PropertyName> props) {
        checkAnyName(name);
        if (props.isEmpty()) {
            throw new IllegalArgumentException("no properties asked for");
        }
        return read(null, null, props, List.of(name), false);
    }

    @Override
    public PropertyTable properties(List<String> names, List<PropertyName> props) {
        if (props.isEmpty()) {
            throw new IllegalArgumentException("no properties asked for");
        }
        names.forEach(ZfsCli::checkAnyName);
        return read(null, null, props, names.stream().distinct().toList(), true);
    }

    @Override
    public List<SnapshotInfo> snapshots(DatasetName root, boolean recursive) {
        return SnapshotInfo.from(read("snapshot", recursive ? "-r" : "1", List.of(), List.of(root.value()), false));
    }

    @Override
    public PropertyTable childProperties(DatasetName dataset, String types, List<PropertyName> props) {
        if (!types.matches("(filesystem|volume|snapshot|bookmark)(,(filesystem|volume|snapshot|bookmark))*")) {
            throw new IllegalArgumentException("not a list of dataset types: " + Names.printable(types));
        }
        if (props.isEmpty()) {
            throw new IllegalArgumentException("name the properties to read");
        }
        // Named properties of one dataset's children: one process with -j (probed here too, unlike other
        // depth reads, since no value can outgrow what -j prints), two in text mode.
        if (json != Boolean.FALSE) {
            PropertyTable t = readJson(types, "1", props, List.of(dataset.value()), true);
            if (t != null) {
                return t;
            }
        }
        return readText(types, "1", props, List.of(dataset.value()), true, true);
    }

    @Override
    public List<SnapshotInfo> snapshots(List<DatasetName> datasets) {
        var names = datasets.stream().map(DatasetName::value).distinct().toList();
        return SnapshotInfo.from(read("snapshot", "1", List.of(), names, true));
    }

    /**
     * Does this zfs give usable {@code zfs get -j} output? Unknown (null) until the first read tries it;
     * then remembered, so detection costs no process of its own after that.
     */
    private volatile Boolean json;

    /** This instance reads with the text parser only (never tries -j): to compare both parsers on one host. */
    ZfsCli textOnly() {
        json = Boolean.FALSE;
        return this;
    }

    /** Reading mode learnt so far: empty until the first read, then "json" or "text". For logs and specs. */
    public java.util.Optional<String> readingMode() {
        Boolean j = json;
        return j == null ? java.util.Optional.empty() : java.util.Optional.of(j ? "json" : "text");
    }

    /**
     * One logical {@code zfs get}: {@code types} for -t (or null), {@code depth} "-r", "1" (for -d 1) or
     * null, {@code props} (empty: all), {@code names}. With {@code tolerateMissing}, names zfs reports as
     * "dataset does not exist" are left out of the result; any other error still throws.
     */
    private PropertyTable read(String types, String depth, List<PropertyName> props, List<String> names,
                               boolean tolerateMissing) {
        if (names.isEmpty()) {
            return PropertyTable.EMPTY;
        }
        var distinctProps = props.stream().distinct().toList();
        // A broad read (all properties, or recursive) costs two processes in text mode (keys, then values);
        // it never probes for -j, so even the first read on an unknown host stays at two. Narrow reads probe.
        boolean broad = depth != null || distinctProps.isEmpty();
        if (json == Boolean.TRUE || (json == null && !broad)) {
            PropertyTable t = readJson(types, depth, distinctProps, names, tolerateMissing);
            if (t != null) {
                return t;
            }
        }
        return readText(types, depth, distinctProps, names, tolerateMissing, true);
    }

    private List<String> getArgs(String format, String types, String depth, List<PropertyName> props, List<String> names) {
        List<String> a;
        if (format.equals("json")) {
            // zfs prints JSON through mbrtowc(): in the C locale (an SSH exec channel's) it stops at the first
            // non-ASCII character, mid-string, and still exits 0. A UTF-8 locale makes it escape them.
            a = new ArrayList<>(List.of("env", "LC_ALL=C.UTF-8", zfs, "get", "-j"));
        } else {
            a = argv("get", "-H", "-o", format);
        }
        a.add("-p");
        if (types != null) {
            a.add("-t");
            a.add(types);
        }
        if ("-r".equals(depth)) {
            a.add("-r");
        } else if (depth != null) {
            a.add("-d");
            a.add(depth);
        }
        a.add(props.isEmpty() ? "all" : props.stream().map(PropertyName::value).collect(Collectors.joining(",")));
        a.addAll(names);
        return a;
    }

    /** The JSON read, or null when this zfs has no (usable) -j: then the text read takes over for good. */
    private PropertyTable readJson(String types, String depth, List<PropertyName> props, List<String> names,
                                   boolean tolerateMissing) {
        var remaining = new ArrayList<>(names);
        while (true) {
            var a = getArgs("json", types, depth, props, remaining);
            CommandResult r = run(a);
            if (r.ok()) {
                try {
                    PropertyTable t = ZfsGet.parseJson(r.stdout());
                    json = Boolean.TRUE;
                    return t;
                } catch (ZfsParseException | IllegalArgumentException e) {
                    // Output zfs cannot print whole here (a C locale truncates at non-ASCII): read as text from now on.
                    json = Boolean.FALSE;
                    return null;
                }
            }
            if (json == null && ZfsGet.noJsonOption(r.stderr())) {
                json = Boolean.FALSE;
                return null;
            }
            // -j prints nothing at all when one name is missing: drop the missing ones and ask again.
            Set<String> missing = ZfsGet.missing(r.stderr());
            if (!tolerateMissing || missing == null || missing.isEmpty() || !remaining.removeAll(missing)) {
                throw ZfsException.classify(a, r.exitCode(), r.stderr());
            }
            json = Boolean.TRUE;
            if (remaining.isEmpty()) {
                return PropertyTable.EMPTY;
            }
        }
    }

    private PropertyTable readText(String types, String depth, List<PropertyName> props, List<String> names,
                                   boolean tolerateMissing, boolean mayRetry) {
        boolean keysKnown = depth == null && !props.isEmpty();
        List<ZfsGet.Key> keys = null;
        if (!keysKnown) {
            // Which cells exist, exactly (names and property names never hold a tab or newline).
            var k = getArgs("name,property", types, depth, props, names);
            keys = ZfsGet.parseKeys(tolerant(k, run(k), tolerateMissing).stdout());
        }
        var a = getArgs("name,property,source,value", types, depth, props, names);
        CommandResult r = tolerant(a, run(a), tolerateMissing);
        if (keysKnown) {
            Set<String> missing = r.ok() ? Set.of() : ZfsGet.missing(r.stderr());
            keys = new ArrayList<>();
            for (String n : names) {
                if (!missing.contains(n)) {
                    for (PropertyName p : props) {
                        keys.add(new ZfsGet.Key(n, p.value()));
                    }
                }
            }
        }
        ZfsGet.Parsed parsed = ZfsGet.parseAnchored(r.stdout(), keys);
        if (!keysKnown && (!parsed.unused().isEmpty() || parsed.foreign()) && mayRetry) {
            // Something may have been created or destroyed between the two commands: once more.
            return readText(types, depth, props, names, tolerateMissing, false);
        }
        // Still unused: zfs printed no line for them (2.3 leaves out e.g. origin of a non-clone). A record
        // swallowed by a value would have shown as unsure, so these are simply absent, as with -j.
        if (parsed.unsure().isEmpty()) {
            return parsed.table();
        }
        // A value contains a line that looks like a record of this very output: read those cells singly.
        var cells = new java.util.LinkedHashMap<String, Map<PropertyName, Property>>();
        for (ZfsGet.Key key : parsed.unsure()) {
            var c = argv("get", "-H", "-p", "-o", "source,value", key.prop(), key.name());
            CommandResult cr = run(c);
            if (!cr.ok()) {
                throw ZfsException.classify(c, cr.exitCode(), cr.stderr());
            }
            if (cr.stdout().isEmpty()) {
                continue;
            }
            var p = ZfsGet.parseCell(key.prop(), cr.stdout());
            cells.computeIfAbsent(key.name(), x -> new java.util.LinkedHashMap<>()).put(p.name(), p);
        }
        // Unsure cells come only from the single reads (one zfs no longer prints is dropped).
        var kept = new java.util.LinkedHashMap<String, Map<PropertyName, Property>>();
        parsed.table().asMap().forEach((n, ps) -> {
            var row = new java.util.LinkedHashMap<PropertyName, Property>();
            ps.forEach((k, v) -> {
                if (!parsed.unsure().contains(new ZfsGet.Key(n, k.value()))) {
                    row.put(k, v);
                } else if (cells.getOrDefault(n, Map.of()).containsKey(k)) {
                    row.put(k, cells.get(n).remove(k));   // in place: the table keeps zfs's order
                }
            });
            kept.put(n, row);
        });
        return PropertyTable.of(kept).with(PropertyTable.of(cells));
    }

    /** Passes a result that is OK, or failed only because some names do not exist (when tolerated). */
    private static CommandResult tolerant(List<String> argv, CommandResult r, boolean tolerateMissing) {
        if (r.ok()) {
            return r;
        }
        Set<String> missing = ZfsGet.missing(r.stderr());
        if (tolerateMissing && missing != null && !missing.isEmpty()) {
            return r;
        }
        throw ZfsException.classify(argv, r.exitCode(), r.stderr());
    }

    @Override
    public List<Hold> holds(SnapshotName snap) {
        // "name<TAB>tag<TAB>timestamp" per hold. A tag is free text to zfs (tabs and newlines included), so a
        // record starts only where a line starts with this snapshot's name and a tab; the tag is all up to
        // the last tab (a timestamp has none).
        String out = exec(argv("holds", "-H", snap.value()));
        String head = snap.value() + "\t";
        var out2 = new ArrayList<Hold>();
        if (out.isEmpty()) {
            return out2;
        }
        if (!out.startsWith(head)) {
            throw new ZfsParseException("zfs holds: unexpected output: " + Names.printable(out));
        }
        String body = out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
        for (String rec : body.split("\n" + java.util.regex.Pattern.quote(head), -1)) {
            String r = rec.startsWith(head) ? rec.substring(head.length()) : rec;
            int last = r.lastIndexOf('\t');
            if (last < 0) {
                throw new ZfsParseException("zfs holds: unexpected record: " + Names.printable(rec));
            }
            out2.add(new Hold(snap, r.substring(0, last)));
        }
        return out2;
    }

    @Override
    public List<BookmarkName> bookmarks(DatasetName dataset) {
        return exec(argv("list", "-H", "-o", "name", "-t", "bookmark", "-d", "1", dataset.value())).lines()
                .filter(l -> !l.isBlank()).map(BookmarkName::read).toList();
    }

    @Override
    public List<DiffEntry> diff(SnapshotName from, String to) {
        checkAnyName(to);
        return DiffEntry.parse(exec(argv("diff", "-F", "-H", "-t", from.value(), to)));
    }

    // ---- changing -----------------------------------------------------------------------------

    @Override
    public void create(DatasetName name, Map<PropertyName, String> props, boolean parents) {
        DatasetName.of(name.value());  // Zed creates only names that pass its own rules
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
        snapshots.forEach(sn -> SnapshotName.of(sn.value()));
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
        DatasetName.of(target.value());
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
            var f = SnapshotName.read(from);
            var t = SnapshotName.of(to);
            if (!f.dataset().equals(t.dataset())) {
                throw new IllegalArgumentException("a snapshot can only be renamed within its dataset: " + from + " → " + to);
            }
            exec(argv("rename", from, to));
            return;
        }
        var f = DatasetName.read(from);
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
        if (verb.equals("hold")) {
            Hold.checkTag(tag);
        } else if (tag == null || tag.isEmpty() || tag.startsWith("-") || tag.indexOf('\0') >= 0) {
            // Releasing a foreign hold may need its free-text tag; only what would read as an option is refused.
            throw new IllegalArgumentException("hold tag to release must be non-empty and not start with '-'");
        }
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
        BookmarkName.of(mark.value());
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

    @Override
    public Execution startResumeSend(String token) {
        return start(argv("send", "-t", checkToken(token)));
    }

    @Override
    public long estimateSend(SendRequest r) {
        var a = argv("send", "-n", "-P");
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
        return parseEstimate(run(a), a);
    }

    @Override
    public long estimateResumeSend(String token) {
        var a = argv("send", "-n", "-P", "-t", checkToken(token));
        return parseEstimate(run(a), a);
    }

    @Override
    public void abortReceive(DatasetName target) {
        exec(argv("receive", "-A", target.value()));
    }

    /** A resume token is printable ASCII without spaces (hex, '-', digits); anything else is refused before it reaches argv. */
    static String checkToken(String token) {
        if (token == null || token.isEmpty() || token.startsWith("-")
                || !token.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("not a receive_resume_token: " + Names.printable(String.valueOf(token)));
        }
        return token;
    }

    /** {@code zfs send -nP} prints its plan on stdout (OpenZFS 2.x; some versions on stderr): the line {@code size<TAB>N}. */
    static long parseEstimate(CommandResult r, List<String> argv) {
        if (!r.ok()) {
            throw ZfsException.classify(argv, r.exitCode(), r.stderr());
        }
        return (r.stdout() + "\n" + r.stderr()).lines()
                .map(l -> l.split("\t"))
                .filter(f -> f.length == 2 && f[0].equals("size"))
                .mapToLong(f -> Long.parseLong(f[1].strip()))
                .reduce((x, y) -> y)
                .orElseThrow(() -> new ZfsParseException("zfs send -nP: no size line in: " + Names.printable(r.stdout())));
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

    /**
     * Accepts an existing dataset, snapshot or bookmark name by ZFS's rules (it starts with a pool's
     * letter, so it never reads as an option); throws {@link InvalidNameException} otherwise.
     */
    static void checkAnyName(String name) {
        ZfsGet.checkRead(name);
    }
}
