package com.zed.replicate;

import com.zed.exec.Drain;
import com.zed.exec.Execution;
import com.zed.replicate.ReplicationPlan.Action;
import com.zed.replicate.ReplicationResult.Outcome;
import com.zed.zfs.BookmarkName;
import com.zed.zfs.DatasetName;
import com.zed.zfs.DestroyMode;
import com.zed.zfs.PropertyName;
import com.zed.zfs.PropertyTable;
import com.zed.zfs.ReceiveRequest;
import com.zed.zfs.SendRequest;
import com.zed.zfs.SnapshotInfo;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.Zfs;
import com.zed.zfs.ZfsException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Replicates one dataset from a source {@link Zfs} to a target {@link Zfs} (any transports: the JVM
 * pipes the source's {@code zfs send} stdout into the target's {@code zfs receive -s -u} stdin).
 * Each round reads both sides, asks {@link ReplicationPlanner}, and does one step, until the target
 * is up to date or the plan refuses. Safety:
 * <ul>
 *   <li>the source's base snapshot carries a hold ({@link ReplicationJob#holdTag()}) until the target
 *   has the next snapshot (read back by guid), then the hold moves to that one;</li>
 *   <li>each replicated snapshot is bookmarked on the source, so a pruned base still allows an incremental;</li>
 *   <li>a diverged target is refused unless the job allows rolling it back.</li>
 * </ul>
 */
public final class Replicator {
    static final PropertyName GUID = PropertyName.of("guid");
    static final PropertyName CREATETXG = PropertyName.of("createtxg");
    static final PropertyName RESUME_TOKEN = PropertyName.of("receive_resume_token");
    static final PropertyName WRITTEN = PropertyName.of("written");
    private static final int MAX_ROUNDS = 8;

    /** Sees the stream as it flows; specs use it to break a stream mid-way. */
    public interface StreamHook {
        void onBytes(long total, Execution send, Execution receive);
    }

    private final Zfs source;
    private final Zfs target;
    private final PrintStream progressOut;
    private final LongSupplier nanos;
    private final long progressIntervalNanos;
    private StreamHook hook = (n, s, r) -> { };

    /**
     * @param progressOut where progress lines go (stderr), or null for none
     * @param nanos       the clock progress reads (System::nanoTime in production)
     */
    public Replicator(Zfs source, Zfs target, PrintStream progressOut, LongSupplier nanos, long progressIntervalNanos) {
        this.source = Objects.requireNonNull(source);
        this.target = Objects.requireNonNull(target);
        this.progressOut = progressOut;
        this.nanos = nanos;
        this.progressIntervalNanos = progressIntervalNanos;
    }

    public Replicator withHook(StreamHook hook) {
        this.hook = Objects.requireNonNull(hook);
        return this;
    }

    // ---- reading ------------------------------------------------------------------------------

    static final PropertyName USERREFS = PropertyName.of("userrefs");

    /** One read of the source: its state for the planner, and which snapshots carry any hold. */
    private record Read(SourceState state, Set<String> held) {
    }

    public SourceState readSource(DatasetName ds) {
        return read(ds).state();
    }

    /** Snapshots and bookmarks with guid, createtxg and userrefs in one {@code zfs get} where the Zfs can. */
    private Read read(DatasetName ds) {
        PropertyTable t;
        try {
            t = source.childProperties(ds, "snapshot,bookmark", List.of(GUID, CREATETXG, USERREFS));
        } catch (UnsupportedOperationException e) {
            return readSlowly(ds);
        }
        List<Point> snaps = new ArrayList<>();
        List<Point> marks = new ArrayList<>();
        Set<String> held = new HashSet<>();
        for (String name : t.names()) {
            Optional<String> guid = t.value(name, "guid");
            if (guid.isEmpty()) {
                continue;   // the dataset itself
            }
            Point p = new Point(name, guid.get(), Long.parseLong(t.value(name, "createtxg").orElse("0")));
            if (name.startsWith(ds.value() + "@")) {
                snaps.add(p);
                if (t.value(name, "userrefs").filter(v -> !v.equals("0")).isPresent()) {
                    held.add(name);
                }
            } else if (name.startsWith(ds.value() + "#")) {
                marks.add(p);
            }
        }
        return new Read(new SourceState(snaps, marks), held);
    }

    private Read readSlowly(DatasetName ds) {
        List<SnapshotInfo> infos = source.snapshots(List.of(ds));
        List<Point> snaps = infos.stream().map(s -> new Point(s.name().value(), s.guid(), s.createTxg())).toList();
        Set<String> held = new HashSet<>();
        infos.stream().filter(SnapshotInfo::isHeld).forEach(s -> held.add(s.name().value()));
        List<BookmarkName> marks = source.bookmarks(ds);
        List<Point> points = new ArrayList<>();
        if (!marks.isEmpty()) {
            PropertyTable t = source.properties(marks.stream().map(BookmarkName::value).toList(), List.of(GUID, CREATETXG));
            for (BookmarkName m : marks) {
                t.value(m.value(), "guid").ifPresent(g -> points.add(new Point(m.value(), g,
                        Long.parseLong(t.value(m.value(), "createtxg").orElse("0")))));
            }
        }
        return new Read(new SourceState(snaps, points), held);
    }

    /** The dataset's resume token and {@code written}, and its snapshots' guids, in one {@code zfs get} where the Zfs can. */
    public TargetState readTarget(DatasetName ds) {
        PropertyTable t;
        try {
            t = target.childProperties(ds, "filesystem,volume,snapshot", List.of(GUID, CREATETXG, RESUME_TOKEN, WRITTEN));
        } catch (UnsupportedOperationException e) {
            t = target.properties(List.of(ds.value()), List.of(RESUME_TOKEN, WRITTEN));
            if (t.contains(ds.value())) {
                List<Point> snaps = target.snapshots(List.of(ds)).stream()
                        .map(s -> new Point(s.name().value(), s.guid(), s.createTxg())).toList();
                return targetState(t, ds, snaps);
            }
        }
        if (!t.contains(ds.value())) {
            return TargetState.absent();
        }
        List<Point> snaps = new ArrayList<>();
        for (String name : t.names()) {
            Optional<String> guid = t.value(name, "guid");
            if (name.startsWith(ds.value() + "@") && guid.isPresent()) {
                snaps.add(new Point(name, guid.get(), Long.parseLong(t.value(name, "createtxg").orElse("0"))));
            }
        }
        return targetState(t, ds, snaps);
    }

    private static TargetState targetState(PropertyTable t, DatasetName ds, List<Point> snaps) {
        Optional<String> token = t.value(ds.value(), "receive_resume_token").filter(v -> !v.isEmpty() && !v.equals("-"));
        long written = t.value(ds.value(), "written").filter(v -> v.matches("\\d+")).map(Long::parseLong).orElse(0L);
        return new TargetState(true, snaps, token, written);
    }

    /** Runs {@code f} on another thread: reads and bookkeeping on the two hosts (separate sessions) overlap. */
    private static <T> CompletableFuture<T> async(Supplier<T> f) {
        return CompletableFuture.supplyAsync(f, WORKERS);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static final java.util.concurrent.Executor WORKERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "zed-replicate");
        t.setDaemon(true);
        return t;
    });

    // ---- running ------------------------------------------------------------------------------

    public ReplicationResult replicate(ReplicationJob job) {
        List<String> steps = new ArrayList<>();
        long bytes = 0;
        SnapshotName holdMovedTo = null;   // this run already moved our hold there (and released it elsewhere)
        CompletableFuture<Read> nextRead = null;   // both sides as read right after a stream: the next round's view
        TargetState nextDst = null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Read read;
            TargetState dst;
            if (nextRead != null) {
                read = join(nextRead);
                dst = nextDst;
                nextRead = null;
            } else {
                CompletableFuture<TargetState> dstRead = async(() -> readTarget(job.target()));
                read = read(job.source());
                dst = join(dstRead);
            }
            SourceState src = read.state();
            ReplicationPlan plan = ReplicationPlanner.plan(src, dst, job.allowRollback());
            if (plan.action().isRefusal()) {
                return new ReplicationResult(Outcome.REFUSED, steps, bytes, "", List.of(), plan.message());
            }
            if (plan.rollbackTo().isPresent()) {
                SnapshotName to = SnapshotName.read(plan.rollbackTo().get().name());
                target.rollback(to, true);
                steps.add("rolled the target back to " + to + " (" + String.join("; ", plan.divergence()) + ")");
                continue;   // read again: the rollback changed the target
            }
            switch (plan.action()) {
                case UP_TO_DATE -> {
                    Point newest = plan.to().orElseThrow();
                    SnapshotName newestSnap = SnapshotName.read(newest.name());
                    if (!newestSnap.equals(holdMovedTo)) {
                        moveHold(job, newestSnap, read.held());
                    }
                    List<String> destroyed = retain(job, src, dst);
                    steps.addAll(destroyed.stream().map(d -> "destroyed " + d + " on the target (keep " + job.keep().getAsInt() + ")").toList());
                    return new ReplicationResult(steps.isEmpty() ? Outcome.UP_TO_DATE : Outcome.REPLICATED, steps, bytes,
                            newest.name(), destroyed, plan.message());
                }
                case ABORT_RESUME -> {
                    target.abortReceive(job.target());
                    if (progressOut != null) {
                        progressOut.println(job.target() + ": " + plan.message());
                    }
                    steps.add("discarded the partial receive on " + job.target() + " (" + plan.message() + ")");
                }
                case RESUME -> {
                    String token = plan.token().orElseThrow();
                    Progress progress = progress("resume " + job.target());
                    CompletableFuture<Void> estimate = async(() -> estimate(progress, () -> source.estimateResumeSend(token)));
                    bytes += pipe(source.startResumeSend(token), receive(job, false), progress, "resume " + job.target(), job.target());
                    join(estimate);
                    steps.add("resumed the interrupted stream into " + job.target());
                }
                case FULL, INCREMENTAL -> {
                    Point to = plan.to().orElseThrow();
                    SnapshotName toSnap = SnapshotName.read(to.name());
                    SendRequest send = SendRequest.full(toSnap).withProperties();
                    SnapshotName heldBase = null;
                    if (plan.base().isPresent()) {
                        Point base = plan.base().get();
                        if (base.isBookmark()) {
                            send = send.incrementalFrom(BookmarkName.read(base.name()));
                        } else {
                            heldBase = SnapshotName.read(base.name());
                            send = send.incrementalFrom(heldBase, true);
                        }
                    }
                    send = new SendRequest(send.snapshot(), send.from(), send.intermediates(), false, true, job.raw(), job.compressed());
                    final SendRequest req = send;
                    String label = (plan.base().map(b -> b.name() + " → ").orElse("full ")) + to.name();
                    Progress progress = progress(label);
                    // While the stream flows, on the source: the estimate; our hold on the base (the next runs'
                    // base too; zfs send itself keeps it from being destroyed while it reads it); the new
                    // snapshot's bookmark and our hold on it (should the stream break, the snapshot a resume
                    // token refers to stays). The base's hold is released only once the target has the snapshot.
                    CompletableFuture<Void> estimate = async(() -> estimate(progress, () -> source.estimateSend(req)));
                    final SnapshotName baseSnap = heldBase;
                    CompletableFuture<Void> marks = async(() -> {
                        if (baseSnap != null) {
                            ensureHold(job, baseSnap);
                        }
                        bookmark(job, toSnap, to.guid(), src);
                        ensureHold(job, toSnap);
                        return null;
                    });
                    bytes += pipe(source.startSend(req), receive(job, plan.action() == Action.INCREMENTAL && job.allowRollback()),
                            progress, label, job.target());
                    join(estimate);
                    join(marks);
                    // The target must have the snapshot, by guid, before the base's hold goes; that read is
                    // also the next round's view of the target, and the source is read again meanwhile.
                    TargetState after = readTarget(job.target());
                    confirm(job, to, after);
                    Set<String> others = new HashSet<>(read.held());
                    others.remove(toSnap.value());
                    nextDst = after;
                    nextRead = async(() -> read(job.source()));
                    if (baseSnap != null) {
                        source.release(job.holdTag(), List.of(baseSnap), false);   // ours: found or placed above
                        others.remove(baseSnap.value());
                    }
                    releaseOurs(job, toSnap, others);
                    holdMovedTo = toSnap;
                    steps.add(plan.message());
                }
                default -> throw new IllegalStateException("unplanned action " + plan.action());
            }
        }
        throw new IllegalStateException("replication of " + job.source() + " did not settle in " + MAX_ROUNDS + " rounds: " + steps);
    }

    private Progress progress(String label) {
        return progressOut == null ? Progress.silent() : new Progress(progressOut, nanos, progressIntervalNanos, label, 0);
    }

    private Execution receive(ReplicationJob job, boolean force) {
        ReceiveRequest r = ReceiveRequest.into(job.target()).withResumable();
        return target.startReceive(force ? r.withForce() : r);
    }

    private static Void estimate(Progress progress, LongSupplier f) {
        try {
            progress.estimate(f.getAsLong());
        } catch (RuntimeException e) {
            // progress without a total: still bytes and rate
        }
        return null;
    }

    /** The target must now have the snapshot, by guid (a name match would prove nothing). */
    private void confirm(ReplicationJob job, Point to, TargetState after) {
        boolean has = after.snapshots().stream().anyMatch(s -> s.guid().equals(to.guid()));
        if (!has) {
            throw new IllegalStateException("zfs receive ended well but " + job.target() + " has no snapshot with guid "
                    + to.guid() + " (" + to.name() + "); the source's hold stays on the old base");
        }
    }

    /** A bookmark of {@code snap} unless one with its guid exists ({@code s}: the source as read before the stream). */
    private Void bookmark(ReplicationJob job, SnapshotName snap, String guid, SourceState s) {
        if (s.bookmarks().stream().anyMatch(b -> b.guid().equals(guid))) {
            return null;
        }
        BookmarkName plain = job.source().bookmark(snap.shortName());
        boolean taken = s.bookmarks().stream().anyMatch(b -> b.name().equals(plain.value()));
        source.bookmark(snap, taken ? job.source().bookmark(snap.shortName() + "-" + guid) : plain);
        return null;
    }

    /**
     * Our hold on {@code snap}, in one command: should ours be there already, zfs hold fails with
     * "tag already exists", which is fine (any other failure is checked against zfs holds).
     */
    private void ensureHold(ReplicationJob job, SnapshotName snap) {
        try {
            source.hold(job.holdTag(), List.of(snap), false);
        } catch (ZfsException e) {
            // zfs hold: "cannot hold snapshot 'P@S': tag already exists on this dataset" — ours is there
            if (!String.valueOf(e.getMessage()).contains("tag already exists")
                    && source.holds(snap).stream().noneMatch(h -> h.tag().equals(job.holdTag()))) {
                throw e;
            }
        }
    }

    /**
     * Our hold on {@code base} only: placed there first, then released from every other snapshot of
     * the source that carries a hold ({@code held}, as read) and has ours.
     */
    private void moveHold(ReplicationJob job, SnapshotName base, Set<String> held) {
        ensureHold(job, base);
        releaseOurs(job, base, held);
    }

    /** Releases our hold from each of {@code held} but {@code base} that has it. */
    private void releaseOurs(ReplicationJob job, SnapshotName base, Set<String> held) {
        String tag = job.holdTag();
        for (String name : held) {
            SnapshotName s = SnapshotName.read(name);
            if (!s.equals(base) && source.holds(s).stream().anyMatch(h -> h.tag().equals(tag))) {
                source.release(tag, List.of(s), false);
            }
        }
    }

    /** Keeps the newest {@code keep} snapshots on the target, and always the newest one the source also has. */
    private List<String> retain(ReplicationJob job, SourceState src, TargetState dst) {
        if (job.keep().isEmpty()) {
            return List.of();
        }
        Set<String> sourceGuids = new HashSet<>();
        src.snapshots().forEach(p -> sourceGuids.add(p.guid()));
        src.bookmarks().forEach(p -> sourceGuids.add(p.guid()));
        Optional<Point> common = dst.snapshots().stream().filter(p -> sourceGuids.contains(p.guid()))
                .reduce((a, b) -> b);
        List<Point> snaps = dst.snapshots();
        int excess = snaps.size() - job.keep().getAsInt();
        List<String> destroyed = new ArrayList<>();
        for (int i = 0; i < snaps.size() && destroyed.size() < excess; i++) {
            Point p = snaps.get(i);
            if (common.isPresent() && common.get().guid().equals(p.guid())) {
                continue;
            }
            try {
                target.destroy(SnapshotName.read(p.name()), DestroyMode.SINGLE);
                destroyed.add(p.name());
            } catch (ZfsException.DatasetBusyException e) {
                // held or cloned on the target: someone else's reason to keep it
            }
        }
        return destroyed;
    }

    // ---- the stream ---------------------------------------------------------------------------

    /** Chunks read from the sender and not yet written to the receiver: up to {@value #QUEUE} × 128 KiB. */
    static final int CHUNK = 128 * 1024;
    static final int QUEUE = 64;
    private static final byte[] END = new byte[0];

    /**
     * Copies the sender's stdout into the receiver's stdin. Two threads, with a queue of up to 8 MiB
     * between them: the sending session's channel is drained while the receiving one waits for its
     * window, and the other way round, as {@code mbuffer} does between two {@code ssh}s. Without it,
     * each side stalls the other (JSch hands a channel's data over through a 32 KiB pipe).
     */
    private long pipe(Execution tx, Execution rx, Progress progress, String label, DatasetName into) {
        try (tx; rx) {
            var txErr = Drain.start(tx.stderr(), "zfs-send-stderr");
            var rxErr = Drain.start(rx.stderr(), "zfs-receive-stderr");
            BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<IOException> readError = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try (InputStream in = tx.stdout()) {
                    while (!stop.get()) {
                        byte[] b = new byte[CHUNK];
                        int n = in.read(b);
                        if (n < 0) {
                            break;
                        }
                        if (n > 0 && !offer(queue, n == CHUNK ? b : Arrays.copyOf(b, n), stop)) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    readError.set(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    try {
                        offer(queue, END, stop);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "zed-replicate-read");
            reader.setDaemon(true);
            reader.start();
            IOException pipeError = null;
            try (OutputStream out = rx.stdin()) {
                byte[] b;
                while ((b = queue.take()) != END) {
                    out.write(b);
                    progress.add(b.length);
                    hook.onBytes(progress.bytes(), tx, rx);
                }
                if (readError.get() != null) {
                    throw readError.get();
                }
            } catch (IOException e) {
                pipeError = e;
                stop.set(true);
                tx.kill();   // a sender blocked on a dead receiver would never end
            }
            stop.set(true);
            queue.clear();   // a reader waiting to hand over a chunk sees stop
            int txCode = tx.waitFor();
            int rxCode = rx.waitFor();
            reader.join(10_000);
            if (rxCode != 0) {
                throw ZfsException.classify(List.of("zfs", "receive", "-s", "-u", into.value()), rxCode, rxErr.text());
            }
            if (txCode != 0) {
                throw ZfsException.classify(List.of("zfs", "send", label), txCode, txErr.text());
            }
            if (pipeError != null) {
                throw new UncheckedIOException("send/receive pipe failed", pipeError);
            }
            progress.finish();
            return progress.bytes();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during send/receive", e);
        }
    }

    /** Hands {@code b} over unless the copy was stopped; false when stopped. */
    private static boolean offer(BlockingQueue<byte[]> queue, byte[] b, AtomicBoolean stop) throws InterruptedException {
        while (!stop.get()) {
            if (queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }
}
