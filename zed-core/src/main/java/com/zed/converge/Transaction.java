package com.zed.converge;

import com.zed.model.AppSpec;
import com.zed.model.Deployment;
import com.zed.zfs.DatasetName;
import com.zed.zfs.DestroyMode;
import com.zed.zfs.PropertyName;
import com.zed.zfs.SnapshotInfo;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.Zfs;
import com.zed.zfs.ZfsException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Executes the impure half of undo and retention: each {@link UndoPlan.UndoStep} becomes ZFS and
 * runtime calls. Best effort, in order: one failed step does not stop the others; all are reported.
 */
final class Transaction {
    private final Zfs zfs;
    private final Function<AppSpec, AppRuntime> runtimes;
    private final Deployment d;
    private final Consumer<String> progress;

    Transaction(Zfs zfs, Function<AppSpec, AppRuntime> runtimes, Deployment d, Consumer<String> progress) {
        this.zfs = zfs;
        this.runtimes = runtimes;
        this.d = d;
        this.progress = progress;
    }

    /** The runtime of an app named in a transaction; one the script no longer declares gets the default. */
    private AppRuntime runtime(String app) {
        return runtimes.apply(d.app(app).orElse(null));
    }

    /**
     * Runs the steps; returns what failed (empty: the undo completed).
     *
     * @param recoveredBy set on marked snapshots when a later process undoes an interrupted transaction
     */
    List<String> undo(List<UndoPlan.UndoStep> steps, Optional<String> recoveredBy) {
        var failures = new ArrayList<String>();
        for (UndoPlan.UndoStep s : steps) {
            String what = describe(s);
            progress.accept("rollback: " + what);
            try {
                run(s, recoveredBy);
            } catch (RuntimeException e) {
                failures.add(what + ": " + e.getMessage());
            }
        }
        return failures;
    }

    private void run(UndoPlan.UndoStep step, Optional<String> recoveredBy) {
        if (step instanceof UndoPlan.UndoStep.StopApp s) {
            runtime(s.app()).stop(s.app());
        } else if (step instanceof UndoPlan.UndoStep.DestroyDataset s) {
            if (zfs.exists(s.dataset().value())) {
                zfs.destroy(s.dataset(), DestroyMode.SINGLE);
            }
        } else if (step instanceof UndoPlan.UndoStep.RollbackTo s) {
            zfs.rollback(s.snapshot(), s.destroyNewer());
        } else if (step instanceof UndoPlan.UndoStep.RestoreProperties s) {
            zfs.properties(s.snapshot().value(), List.of(ZedProperties.RESTORE))
                    .value(s.snapshot().value(), ZedProperties.RESTORE.value())
                    .ifPresent(json -> RestoreRecord.apply(zfs, s.snapshot().dataset(), RestoreRecord.parse(json)));
        } else if (step instanceof UndoPlan.UndoStep.RestoreFiles s) {
            runtime(s.app()).restoreFiles(s.app(), s.id());
        } else if (step instanceof UndoPlan.UndoStep.StartApp s) {
            var t = zfs.properties(s.dataset(), List.of(ZedProperties.VERSION, PropertyName.of("mountpoint")));
            String version = s.version().or(() -> t.value(s.dataset(), ZedProperties.VERSION.value()))
                    .orElseThrow(() -> new IllegalStateException(s.dataset() + " records no version to start"));
            String mp = s.mountpoint() != null ? s.mountpoint() : t.value(s.dataset(), "mountpoint").orElseThrow();
            runtime(s.app()).start(s.app(), mp, d.app(s.app()), version);
        } else if (step instanceof UndoPlan.UndoStep.Ghost s) {
            ghost(s.dataset(), s.version());
        } else if (step instanceof UndoPlan.UndoStep.Mark s) {
            var props = new java.util.HashMap<PropertyName, String>();
            props.put(ZedProperties.RESULT, s.result());
            recoveredBy.ifPresent(r -> props.put(ZedProperties.RECOVERED_BY, r));
            zfs.set(s.snapshot().value(), props);
        } else if (step instanceof UndoPlan.UndoStep.DestroySnapshot s) {
            if (zfs.exists(s.snapshot().value())) {
                zfs.destroy(s.snapshot(), DestroyMode.SINGLE);
            }
        } else if (step instanceof UndoPlan.UndoStep.DropSaved s) {
            runtime(null).dropSaved(s.id());
        }
    }

    static String describe(UndoPlan.UndoStep s) {
        if (s instanceof UndoPlan.UndoStep.StopApp x) {
            return "stop " + x.app();
        } else if (s instanceof UndoPlan.UndoStep.DestroyDataset x) {
            return "destroy " + x.dataset();
        } else if (s instanceof UndoPlan.UndoStep.RollbackTo x) {
            return "zfs rollback " + x.snapshot();
        } else if (s instanceof UndoPlan.UndoStep.RestoreProperties x) {
            return "restore properties of " + x.snapshot().dataset();
        } else if (s instanceof UndoPlan.UndoStep.RestoreFiles x) {
            return "restore the environment and unit of " + x.app();
        } else if (s instanceof UndoPlan.UndoStep.StartApp x) {
            return "restart " + x.app() + " " + x.version().orElse("(as recorded)");
        } else if (s instanceof UndoPlan.UndoStep.Ghost x) {
            return "ghost " + x.version() + " on " + x.dataset();
        } else if (s instanceof UndoPlan.UndoStep.Mark x) {
            return "mark " + x.snapshot() + " " + x.result();
        } else if (s instanceof UndoPlan.UndoStep.DestroySnapshot x) {
            return "destroy " + x.snapshot();
        }
        return "forget saved files " + ((UndoPlan.UndoStep.DropSaved) s).id();
    }

    private void ghost(DatasetName ds, String version) {
        String now = zfs.properties(ds.value(), List.of(ZedProperties.GHOSTED)).value(ds.value(), ZedProperties.GHOSTED.value())
                .orElse("");
        var set = new LinkedHashSet<String>();
        for (String v : now.split(",")) {
            if (!v.isBlank()) {
                set.add(v);
            }
        }
        set.add(version);
        zfs.set(ds.value(), Map.of(ZedProperties.GHOSTED, String.join(",", set)));
    }

    /**
     * After a commit: destroys {@code drop} (a transaction's own snapshots when the script keeps none)
     * and the before-deploy snapshots retention lets go, with the files kept for them.
     */
    List<SnapshotName> retention(Deployment d, String current, List<SnapshotName> drop) {
        var pruned = new ArrayList<SnapshotName>();
        for (SnapshotName s : drop) {
            zfs.destroy(s, DestroyMode.SINGLE);
        }
        if (!drop.isEmpty()) {
            runtime(null).dropSaved(current);
        }
        List<SnapshotInfo> all = zfs.snapshots(d.datasets().stream().map(x -> x.in(d.pool())).toList());
        for (SnapshotName s : Retention.select(all, d.name(), d.snapshots().keep(), current)) {
            try {
                zfs.destroy(s, DestroyMode.SINGLE);
                pruned.add(s);
            } catch (ZfsException.DatasetBusyException e) {
                progress.accept("retention: kept " + s + " (" + e.reason().name().toLowerCase() + ")");
            }
        }
        // Files kept for a snapshot id go when no dataset has that snapshot any more.
        var left = new java.util.HashSet<String>();
        all.stream().filter(i -> !pruned.contains(i.name())).forEach(i -> left.add(i.name().shortName()));
        pruned.stream().map(SnapshotName::shortName).distinct().filter(id -> !left.contains(id))
                .forEach(id -> runtime(null).dropSaved(id));
        if (!pruned.isEmpty()) {
            progress.accept("retention: pruned " + pruned.size() + " snapshot(s)");
        }
        return pruned;
    }
}
