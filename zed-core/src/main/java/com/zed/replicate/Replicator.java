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
import java.util.function.LongSupplier;

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

    public SourceState readSource(DatasetName ds) {
        List<Point> snaps = source.snapshots(List.of(ds)).stream()
                .map(s -> new Point(s.name().value(), s.guid(), s.createTxg())).toList();
        List<BookmarkName> marks = source.bookmarks(ds);
        List<Point> points = new ArrayList<>();
        if (!marks.isEmpty()) {
            PropertyTable t = source.properties(marks.stream().map(BookmarkName::value).toList(), List.of(GUID, CREATETXG));
            for (BookmarkName m : marks) {
                t.value(m.value(), "guid").ifPresent(g -> points.add(new Point(m.value(), g,
                        Long.parseLong(t.value(m.value(), "createtxg").orElse("0")))));
            }
        }
        return new SourceState(snaps, points);
    }

    public TargetState readTarget(DatasetName ds) {
        PropertyTable t = target.properties(List.of(ds.value()), List.of(RESUME_TOKEN, WRITTEN));
        if (!t.contains(ds.value())) {
            return TargetState.absent();
        }
        Optional<String> token = t.value(ds.value(), "receive_resume_token").filter(v -> !v.isEmpty() && !v.equals("-"));
        long written = t.value(ds.value(), "written").filter(v -> v.matches("\\d+")).map(Long::parseLong).orElse(0L);
        List<Point> snaps = target.snapshots(List.of(ds)).stream()
                .map(s -> new Point(s.name().value(), s.guid(), s.createTxg())).toList();
        return new TargetState(true, snaps, token, written);
    }

    // ---- running ------------------------------------------------------------------------------

    public ReplicationResult replicate(ReplicationJob job) {
        List<String> steps = new ArrayList<>();
        long bytes = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            SourceState src = readSource(job.source());
            TargetState dst = readTarget(job.target());
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
                    moveHold(job, SnapshotName.read(newest.name()));
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
                    long estimate = estimate(() -> source.estimateResumeSend(token));
                    bytes += pipe(source.startResumeSend(token), receive(job, false),
                            "resume " + job.target(), estimate, job.target());
                    steps.add("resumed the interrupted stream into " + job.target());
                }
                case FULL, INCREMENTAL -> {
                    Point to = plan.to().orElseThrow();
                    SnapshotName toSnap = SnapshotName.read(to.name());
                    SendRequest send = SendRequest.full(toSnap).withProperties();
                    if (plan.base().isPresent()) {
                        Point base = plan.base().get();
                        if (base.isBookmark()) {
                            send = send.incrementalFrom(BookmarkName.read(base.name()));
                        } else {
                            SnapshotName baseSnap = SnapshotName.read(base.name());
                            ensureHold(job, baseSnap);   // the base must outlive the stream
                            send = send.incrementalFrom(baseSnap, true);
                        }
                    }
                    send = new SendRequest(send.snapshot(), send.from(), send.intermediates(), false, true, job.raw(), job.compressed());
                    final SendRequest req = send;
                    long estimate = estimate(() -> source.estimateSend(req));
                    bytes += pipe(source.startSend(req), receive(job, plan.action() == Action.INCREMENTAL && job.allowRollback()),
                            (plan.base().map(b -> b.name() + " → ").orElse("full ")) + to.name(), estimate, job.target());
                    confirm(job, to);
                    bookmark(job, toSnap, to.guid());
                    moveHold(job, toSnap);
                    steps.add(plan.message());
                }
                default -> throw new IllegalStateException("unplanned action " + plan.action());
            }
        }
        throw new IllegalStateException("replication of " + job.source() + " did not settle in " + MAX_ROUNDS + " rounds: " + steps);
    }

    private Execution receive(ReplicationJob job, boolean force) {
        ReceiveRequest r = ReceiveRequest.into(job.target()).withResumable();
        return target.startReceive(force ? r.withForce() : r);
    }

    private long estimate(LongSupplier f) {
        try {
            return f.getAsLong();
        } catch (RuntimeException e) {
            return 0;   // progress without a total: still bytes and rate
        }
    }

    /** The target must now have the snapshot, by guid (a name match would prove nothing). */
    private void confirm(ReplicationJob job, Point to) {
        boolean has = target.snapshots(List.of(job.target())).stream().anyMatch(s -> s.guid().equals(to.guid()));
        if (!has) {
            throw new IllegalStateException("zfs receive ended well but " + job.target() + " has no snapshot with guid "
                    + to.guid() + " (" + to.name() + "); the source's hold stays on the old base");
        }
    }

    private void bookmark(ReplicationJob job, SnapshotName snap, String guid) {
        SourceState s = readSource(job.source());
        if (s.bookmarks().stream().anyMatch(b -> b.guid().equals(guid))) {
            return;
        }
        BookmarkName plain = job.source().bookmark(snap.shortName());
        boolean taken = s.bookmarks().stream().anyMatch(b -> b.name().equals(plain.value()));
        source.bookmark(snap, taken ? job.source().bookmark(snap.shortName() + "-" + guid) : plain);
    }

    private void ensureHold(ReplicationJob job, SnapshotName snap) {
        String tag = job.holdTag();
        if (source.holds(snap).stream().noneMatch(h -> h.tag().equals(tag))) {
            source.hold(tag, List.of(snap), false);
        }
    }

    /** Our hold on {@code base} only: placed there first, then released from every other snapshot of the source dataset. */
    private void moveHold(ReplicationJob job, SnapshotName base) {
        ensureHold(job, base);
        String tag = job.holdTag();
        for (SnapshotInfo s : source.snapshots(List.of(job.source()))) {
            if (s.isHeld() && !s.name().equals(base)
                    && source.holds(s.name()).stream().anyMatch(h -> h.tag().equals(tag))) {
                source.release(tag, List.of(s.name()), false);
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

    private long pipe(Execution tx, Execution rx, String label, long estimate, DatasetName into) {
        Progress progress = progressOut == null ? Progress.silent()
                : new Progress(progressOut, nanos, progressIntervalNanos, label, estimate);
        try (tx; rx) {
            var txErr = Drain.start(tx.stderr(), "zfs-send-stderr");
            var rxErr = Drain.start(rx.stderr(), "zfs-receive-stderr");
            IOException pipeError = null;
            byte[] buf = new byte[128 * 1024];
            try (InputStream in = tx.stdout(); OutputStream out = rx.stdin()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    progress.add(n);
                    hook.onBytes(progress.bytes(), tx, rx);
                }
            } catch (IOException e) {
                pipeError = e;
                tx.kill();   // a sender blocked on a dead receiver would never end
            }
            int txCode = tx.waitFor();
            int rxCode = rx.waitFor();
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
}
