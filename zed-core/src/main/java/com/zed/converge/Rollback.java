package com.zed.converge;

import com.zed.model.Deployment;
import com.zed.zfs.SnapshotInfo;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.Zfs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code zed rollback}: returns every dataset of a past deploy to its before-deploy snapshot and
 * puts back the properties that deploy changed (zfs rollback restores data, not properties; the
 * snapshot's {@code com.zed:restore} record has them). Refuses to destroy newer snapshots unless
 * told to, since those are someone's data or someone's rollback point.
 */
public final class Rollback {
    private Rollback() {
    }

    public record Result(String snapshot, List<SnapshotName> rolledBack, List<SnapshotName> destroyedNewer) { }

    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    /**
     * @param to           short name of a before-deploy snapshot ({@code zed-trading-…}) or a full
     *                     snapshot name; empty = the newest one of this deploy
     * @param destroyNewer allow {@code zfs rollback -r}: destroy snapshots newer than the target
     */
    public static Result run(Zfs zfs, Deployment d, Optional<String> to, boolean destroyNewer, boolean breakLock,
                             Actor actor, Clock clock, Consumer<String> progress) {
        return run(zfs, d, to, destroyNewer, breakLock, actor, clock, progress, AppRuntime.RECORD_ONLY);
    }

    /** As above; apps on the rolled-back datasets are stopped first and their restored release started after. */
    public static Result run(Zfs zfs, Deployment d, Optional<String> to, boolean destroyNewer, boolean breakLock,
                             Actor actor, Clock clock, Consumer<String> progress, AppRuntime runtime) {
        try (PoolLock lock = PoolLock.acquire(zfs, d.pool(), actor.toString(), actor.host(), breakLock, clock)) {
            List<History.Entry> history = History.of(zfs, d);
            if (history.isEmpty()) {
                throw new RefusedException("deploy '" + d.name() + "' has no before-deploy snapshot on pool '"
                        + d.pool() + "': nothing to roll back to");
            }
            History.Entry target;
            if (to.isPresent()) {
                String want = to.get().contains("@") ? SnapshotName.of(to.get()).shortName() : to.get();
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
            List<SnapshotInfo> all = zfs.snapshots(d.pool().root(), true);
            var newer = new ArrayList<SnapshotName>();
            for (SnapshotName s : target.snapshots()) {
                long txg = all.stream().filter(i -> i.name().equals(s)).findFirst().orElseThrow().createTxg();
                all.stream().filter(i -> i.name().dataset().equals(s.dataset()) && i.createTxg() > txg)
                        .forEach(i -> newer.add(i.name()));
            }
            if (!newer.isEmpty() && !destroyNewer) {
                throw new RefusedException("rolling back to " + target.snapshot() + " would destroy newer snapshots: "
                        + newer + " — rerun with --destroy-newer if that is what you want");
            }
            var apps = new java.util.LinkedHashMap<SnapshotName, com.zed.model.AppSpec>();
            for (SnapshotName s : target.snapshots()) {
                d.apps().stream().filter(a -> d.pool().root().child(a.dataset()).equals(s.dataset())).findFirst()
                        .ifPresent(a -> apps.put(s, a));
            }
            apps.values().forEach(a -> {
                progress.accept("stop " + a.name());
                runtime.stop(a);
            });
            for (SnapshotName s : target.snapshots()) {
                progress.accept("zfs rollback " + (destroyNewer ? "-r " : "") + s);
                zfs.rollback(s, destroyNewer);
                var restore = zfs.properties(s.value(), List.of(ZedProperties.RESTORE))
                        .value(s.value(), ZedProperties.RESTORE.value());
                if (restore.isPresent()) {
                    Converger.restoreProperties(zfs, s.dataset(), Converger.parseRestore(restore.get()));
                }
                zfs.set(s.value(), Map.of(ZedProperties.RESULT, "rolled-back",
                        com.zed.zfs.PropertyName.zed("rolled-back-at"), clock.instant().toString(),
                        com.zed.zfs.PropertyName.zed("rolled-back-by"), actor.toString()));
            }
            apps.forEach((s, a) -> {
                var t = zfs.properties(s.dataset().value(), List.of(ZedProperties.VERSION, com.zed.zfs.PropertyName.of("mountpoint")));
                Optional<String> version = t.value(s.dataset().value(), ZedProperties.VERSION.value());
                runtime.restore(a, t.value(s.dataset().value(), "mountpoint").orElseThrow(), version);
            });
            return new Result(target.snapshot(), target.snapshots(), newer);
        }
    }
}
