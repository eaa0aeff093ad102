package com.zed.converge;

import com.zed.zfs.DatasetName;
import com.zed.zfs.SnapshotName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The pure half of undo: (a transaction's intent, what of it is on the pool now) → the steps that
 * bring the host back to before it. Every step is idempotent, so an undo that is itself interrupted
 * is simply planned and run again. A {@code rollback} transaction is finished instead (it was
 * already a return to an older state).
 */
public final class UndoPlan {
    private UndoPlan() {
    }

    /** One step of an undo; {@link Transaction} executes them. */
    public sealed interface UndoStep {
        /** Stop the app's service (it may run the new release). */
        record StopApp(String app) implements UndoStep { }

        /** Destroy a dataset the transaction created (deepest first). */
        record DestroyDataset(DatasetName dataset) implements UndoStep { }

        /** {@code zfs rollback} to the transaction's snapshot. */
        record RollbackTo(SnapshotName snapshot, boolean destroyNewer) implements UndoStep { }

        /** Put back the properties the transaction changed, from the snapshot's restore record. */
        record RestoreProperties(SnapshotName snapshot) implements UndoStep { }

        /** Put back the files outside ZFS (env file, unit) kept under {@code id}; remove ones that did not exist. */
        record RestoreFiles(String app, String id) implements UndoStep { }

        /** Start the app's release again and wait until healthy; empty version: the one recorded on its dataset. */
        record StartApp(String app, String dataset, String mountpoint, Optional<String> version) implements UndoStep { }

        /** Mark a version that failed its health check, so it is not redeployed without --force. */
        record Ghost(DatasetName dataset, String version) implements UndoStep { }

        /** Record how the transaction ended on its snapshot (the audit log). */
        record Mark(SnapshotName snapshot, String result) implements UndoStep { }

        /** The script wanted no before-deploy snapshots: the transaction's own go once it is over. */
        record DestroySnapshot(SnapshotName snapshot) implements UndoStep { }

        /** Forget the files kept under {@code id}. */
        record DropSaved(String id) implements UndoStep { }
    }

    /**
     * @param snapshots the transaction's snapshots that exist ({@code <dataset>@<txn id>})
     * @param created   datasets that exist and were made by it (marked, or its implicit parents)
     * @param ghost     the app whose new version failed its health check, if that was the cause
     * @param result    what to record on the snapshots: {@code rolled-back} or {@code interrupted}
     */
    public static List<UndoStep> plan(Txn txn, List<SnapshotName> snapshots, List<DatasetName> created,
                                      Optional<String> ghost, String result) {
        if (txn.kind().equals(Txn.ROLLBACK)) {
            return finishRollback(txn, snapshots);
        }
        var steps = new ArrayList<UndoStep>();
        var services = txn.apps().stream().filter(a -> !a.recordOnly()).toList();
        services.forEach(a -> steps.add(new UndoStep.StopApp(a.app())));
        created.stream().sorted(Comparator.comparingInt((DatasetName n) -> depth(n)).reversed()
                        .thenComparing(DatasetName::value))
                .forEach(n -> steps.add(new UndoStep.DestroyDataset(n)));
        snapshots.forEach(s -> steps.add(new UndoStep.RollbackTo(s, false)));
        snapshots.forEach(s -> steps.add(new UndoStep.RestoreProperties(s)));
        services.forEach(a -> steps.add(new UndoStep.RestoreFiles(a.app(), txn.id())));
        for (Txn.App a : services) {
            if (!a.created() && a.from() != null) {
                steps.add(new UndoStep.StartApp(a.app(), a.dataset(), a.mountpoint(), Optional.of(a.from())));
            }
        }
        // A redeploy of the running version that fails says nothing bad about the release: no ghost.
        ghost.flatMap(g -> txn.apps().stream().filter(a -> a.app().equals(g) && !a.created()
                        && !java.util.Objects.equals(a.from(), a.to())).findFirst())
                .ifPresent(a -> steps.add(new UndoStep.Ghost(DatasetName.of(a.dataset()), a.to())));
        if (txn.keepSnapshots()) {
            snapshots.forEach(s -> steps.add(new UndoStep.Mark(s, result)));
        } else {
            snapshots.forEach(s -> steps.add(new UndoStep.DestroySnapshot(s)));
            steps.add(new UndoStep.DropSaved(txn.id()));
        }
        return steps;
    }

    /** An interrupted {@code zed rollback} is completed: every step of it is idempotent. */
    private static List<UndoStep> finishRollback(Txn txn, List<SnapshotName> targets) {
        var steps = new ArrayList<UndoStep>();
        var services = txn.apps().stream().filter(a -> !a.recordOnly()).toList();
        services.forEach(a -> steps.add(new UndoStep.StopApp(a.app())));
        targets.forEach(s -> steps.add(new UndoStep.RollbackTo(s, txn.destroyNewer())));
        targets.forEach(s -> steps.add(new UndoStep.RestoreProperties(s)));
        services.forEach(a -> steps.add(new UndoStep.RestoreFiles(a.app(), txn.rollbackTo())));
        services.forEach(a -> steps.add(new UndoStep.StartApp(a.app(), a.dataset(), a.mountpoint(), Optional.empty())));
        targets.forEach(s -> steps.add(new UndoStep.Mark(s, "rolled-back")));
        return steps;
    }

    private static int depth(DatasetName n) {
        return n.value().split("/").length;
    }
}
