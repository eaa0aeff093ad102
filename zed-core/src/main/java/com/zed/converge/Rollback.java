package com.zed.converge;

import com.zed.model.AppSpec;
import com.zed.model.Deployment;
import com.zed.zfs.PropertyName;
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
 * {@code zed rollback}: returns every dataset of a past deploy to its before-deploy snapshot, puts
 * back the properties that deploy changed (from the snapshot's {@code com.zed:restore} record) and
 * the environment and unit its apps ran with (kept under the snapshot's id), then starts the
 * restored releases. It is a transaction too: interrupted, the next run completes it. Refuses to
 * destroy newer snapshots unless told to, since those are someone's data or rollback point.
 */
public final class Rollback {
    private Rollback() {
    }

    public record Result(String snapshot, List<SnapshotName> rolledBack, List<SnapshotName> destroyedNewer,
                         Optional<Recovery.Result> recovered) { }

    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    /**
     * @param to           short name of a before-deploy snapshot ({@code zed-trading-…}) or a full
     *                     snapshot name; empty = the newest successful one of this deploy
     * @param destroyNewer allow {@code zfs rollback -r}: destroy snapshots newer than the target
     */
    public static Result run(Zfs zfs, Deployment d, Optional<String> to, boolean destroyNewer, Actor actor, Clock clock,
                             Consumer<String> progress, Function<AppSpec, AppRuntime> runtimes) {
        Recovery.Locked locked = Recovery.lock(zfs, d, actor, clock, progress, runtimes);
        try (PoolLock lock = locked.lock()) {
            List<History.Entry> history = History.of(zfs, d);
            if (history.isEmpty()) {
                throw new RefusedException("deploy '" + d.name() + "' has no before-deploy snapshot on pool '"
                        + d.pool() + "': nothing to roll back to");
            }
            History.Entry target;
            if (to.isPresent()) {
                String want = to.get().contains("@") ? to.get().substring(to.get().indexOf('@') + 1) : to.get();
                target = history.stream().filter(e -> e.snapshot().equals(want)).findFirst()
                        .orElseThrow(() -> new RefusedException("'" + to.get() + "' is not a before-deploy snapshot of deploy '"
                                + d.name() + "' (see zed history)"));
            } else {
                // The newest deploy that took effect; one already rolled back is no target.
                target = history.stream().filter(e -> e.result().equals("ok")).reduce((a, b) -> b)
                        .orElseThrow(() -> new RefusedException("deploy '" + d.name()
                                + "' has no successful deploy to roll back (see zed history)"));
            }

            // Which newer snapshots would a rollback destroy? Ask before touching anything.
            List<SnapshotInfo> all = zfs.snapshots(target.snapshots().stream().map(SnapshotName::dataset).toList());
            var newer = new ArrayList<SnapshotName>();
            for (SnapshotName s : target.snapshots()) {
                long txg = all.stream().filter(i -> i.name().equals(s)).findFirst().orElseThrow().createTxg();
                all.stream().filter(i -> i.name().dataset().equals(s.dataset()) && i.createTxg() > txg
                                && !i.name().equals(PoolLock.lockName(d.pool())))
                        .forEach(i -> newer.add(i.name()));
            }
            if (!newer.isEmpty() && !destroyNewer) {
                throw new RefusedException("rolling back to " + target.snapshot() + " would destroy newer snapshots: "
                        + newer + " — rerun with --destroy-newer if that is what you want");
            }
            var apps = new ArrayList<Txn.App>();
            for (SnapshotName s : target.snapshots()) {
                d.apps().stream().filter(a -> d.pool().root().child(a.dataset()).equals(s.dataset())).findFirst()
                        .ifPresent(a -> apps.add(new Txn.App(a.name(), s.dataset().value(), null, null, null, false,
                                runtimes.apply(a) == AppRuntime.RECORD_ONLY)));
            }
            String id = "zed-rollback-" + target.snapshot();
            var txn = new Txn(id, Txn.ROLLBACK, d.name(), d.pool().value(), clock.instant().toString(), actor.toString(),
                    "", true, List.of(), apps, target.snapshot(), destroyNewer);
            var journal = new Journal(lock, p -> { });
            journal.begin(txn);
            var steps = UndoPlan.plan(txn, target.snapshots(), List.of(), Optional.empty(), "rolled-back");
            var failures = new Transaction(zfs, runtimes, d, progress).undo(steps, Optional.empty());
            if (!failures.isEmpty()) {
                String why = "rollback to " + target.snapshot() + " did not complete: " + String.join("; ", failures);
                journal.needsAttention(why);
                throw new Converger.RollbackFailedException(why + ". The pool stays locked: fix the cause, then run `zed recover`.", null);
            }
            for (SnapshotName s : target.snapshots()) {
                zfs.set(s.value(), Map.of(PropertyName.zed("rolled-back-at"), clock.instant().toString(),
                        PropertyName.zed("rolled-back-by"), actor.toString()));
            }
            return new Result(target.snapshot(), target.snapshots(), newer, locked.recovered());
        }
    }
}
