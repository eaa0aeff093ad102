package com.zed.converge;

import com.zed.model.AppSpec;
import com.zed.model.Deployment;
import com.zed.zfs.DatasetName;
import com.zed.zfs.PropertyTable;
import com.zed.zfs.SnapshotInfo;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.Zfs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Finishing what an interrupted transaction left: its lock, its journal and half its changes.
 * A transaction that reached {@code committed} is kept (the new state is whole); any other is
 * undone back to the state before it; an interrupted {@code zed rollback} is completed.
 * Where the lock's holder is provably gone, {@link #lock} does this by itself before a new run;
 * otherwise it refuses and names the command that recovers.
 */
public final class Recovery {
    private Recovery() {
    }

    /** What a recovery did: the transaction, how far it had got, and how it ended now. */
    public record Result(String txn, String kind, String phase, String outcome) { }

    /** The lock for a new transaction, and what was recovered to get it. */
    record Locked(PoolLock lock, Optional<Result> recovered) { }

    /** A transaction's rollback failed earlier: a human must look before anything else runs. */
    public static final class NeedsAttentionException extends RuntimeException {
        NeedsAttentionException(String message) {
            super(message);
        }
    }

    /** The command a human runs to recover, for messages. */
    static String recoverCommand(Deployment d, Optional<PoolLock.Holder> force) {
        return "zed recover <target> " + "<script of deploy '" + d.name() + "'>"
                + force.map(h -> " --force-unlock '" + h.id() + "'").orElse("");
    }

    /** Takes the pool's lock for a new transaction, first recovering one whose holder is provably gone. */
    static Locked lock(Zfs zfs, Deployment d, Actor actor, Clock clock, Consumer<String> progress,
                       Function<AppSpec, AppRuntime> runtimes) {
        try {
            return new Locked(PoolLock.acquire(zfs, d.pool(), actor, clock), Optional.empty());
        } catch (PoolLock.LockedException e) {
            PoolLock.State found = e.state();
            if (found.needsAttention()) {
                throw new NeedsAttentionException("pool '" + d.pool() + "' needs attention: an earlier rollback failed ("
                        + found.error().orElse("no reason recorded") + "). Fix the cause, then run: "
                        + recoverCommand(d, Optional.of(found.holder())));
            }
            if (!e.holderGone()) {
                throw new PoolLock.LockedException(d.pool(), found, false,
                        "if that process is really gone (another host, or a reboot), recover with: "
                                + recoverCommand(d, Optional.of(found.holder())));
            }
            progress.accept("the lock's holder " + found.holder() + " is gone: recovering its transaction first");
            PoolLock lock = PoolLock.takeOver(zfs, d.pool(), found, actor, clock);
            try {
                return new Locked(lock, Optional.of(recover(zfs, d, lock, found, actor, clock, progress, runtimes)));
            } catch (RuntimeException failure) {
                lock.close();
                throw failure;
            }
        }
    }

    /**
     * {@code zed recover}: takes over the lock (its holder must be provably gone, or named by
     * {@code forceHolder}, or the lock marked needs-attention) and recovers its transaction.
     */
    public static Optional<Result> recover(Zfs zfs, Deployment d, Optional<String> forceHolder, Actor actor, Clock clock,
                                           Consumer<String> progress, Function<AppSpec, AppRuntime> runtimes) {
        Optional<PoolLock.State> found = PoolLock.read(zfs, d.pool());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PoolLock.State s = found.get();
        boolean named = forceHolder.filter(h -> h.equals(s.holder().id())).isPresent();
        if (forceHolder.isPresent() && !named) {
            throw new IllegalArgumentException("--force-unlock names '" + forceHolder.get() + "', but the lock is held by '"
                    + s.holder().id() + "' (" + s.holder() + ")");
        }
        if (!named && !s.needsAttention() && !s.holder().goneFrom(actor.host())) {
            throw new PoolLock.LockedException(d.pool(), s, false, "zed cannot prove that process is gone; if it is, run: "
                    + recoverCommand(d, Optional.of(s.holder())));
        }
        try (PoolLock lock = PoolLock.takeOver(zfs, d.pool(), s, actor, clock)) {
            return Optional.of(recover(zfs, d, lock, s, actor, clock, progress, runtimes));
        }
    }

    private static Result recover(Zfs zfs, Deployment d, PoolLock lock, PoolLock.State found, Actor actor, Clock clock,
                                  Consumer<String> progress, Function<AppSpec, AppRuntime> runtimes) {
        String phase = found.phase().orElse("(none)");
        if (found.txn().isEmpty()) {
            progress.accept("recovery: the lock records no transaction (it stopped before its first change); lock removed");
            return new Result("(none)", "(none)", phase, "nothing to undo");
        }
        Txn txn = Txn.parse(found.txn().get());
        var journal = new Journal(lock, p -> { });
        List<SnapshotName> snaps = snapshotsOf(zfs, d, txn.id());
        if (phase.equals(Journal.COMMITTED)) {
            progress.accept("recovery: " + txn.id() + " had committed; keeping its new state");
            for (SnapshotName s : snaps) {
                zfs.set(s.value(), Map.of(ZedProperties.RESULT, "ok"));
            }
            return new Result(txn.id(), txn.kind(), phase, "committed: the new state is kept");
        }
        List<DatasetName> created = createdBy(zfs, d, txn);
        var steps = txn.kind().equals(Txn.ROLLBACK)
                ? UndoPlan.plan(txn, snapshotsOf(zfs, d, txn.rollbackTo()), List.of(), Optional.empty(), "rolled-back")
                : UndoPlan.plan(txn, snaps, created, Optional.empty(), "interrupted");
        progress.accept("recovery: " + txn.kind() + " " + txn.id() + " stopped at '" + phase + "'; "
                + (txn.kind().equals(Txn.ROLLBACK) ? "completing the rollback" : "undoing it"));
        Cancellation.shield();
        journal.phase(Journal.UNDOING);
        var failures = new Transaction(zfs, runtimes, d, progress)
                .undo(steps, Optional.of(actor + " at " + clock.instant()));
        if (!failures.isEmpty()) {
            String why = "recovery of " + txn.id() + " did not complete: " + String.join("; ", failures);
            journal.needsAttention(why);
            throw new Converger.RollbackFailedException(why + ". The pool stays locked: fix the cause, then run `zed recover`.", null);
        }
        lock.record(Map.of(ZedProperties.TXN_PHASE, "recovered"));
        String outcome = txn.kind().equals(Txn.ROLLBACK) ? "rollback completed" : "undone: the host is as before it";
        return new Result(txn.id(), txn.kind(), phase, outcome);
    }

    /** The transaction's snapshots: {@code <dataset>@<id>} anywhere in the pool. */
    static List<SnapshotName> snapshotsOf(Zfs zfs, Deployment d, String id) {
        var out = new ArrayList<SnapshotName>();
        for (SnapshotInfo i : zfs.snapshots(d.pool().root(), true)) {
            if (i.name().shortName().equals(id)) {
                out.add(i.name());
            }
        }
        return out;
    }

    /** Datasets the transaction made: marked with its id, and the parents {@code create -p} made. */
    static List<DatasetName> createdBy(Zfs zfs, Deployment d, Txn txn) {
        PropertyTable all = zfs.properties(d.pool().root(), true);
        var out = new ArrayList<DatasetName>();
        all.names().forEach(n -> {
            if (all.value(n, ZedProperties.CREATED_IN.value()).filter(txn.id()::equals).isPresent()
                    && all.get(n, ZedProperties.CREATED_IN).filter(p -> p.source().kind()
                    == com.zed.zfs.PropertySource.Kind.LOCAL).isPresent()) {
                out.add(DatasetName.of(n));
            }
        });
        txn.parents().stream().filter(all::contains).map(DatasetName::of).forEach(out::add);
        return out;
    }
}
