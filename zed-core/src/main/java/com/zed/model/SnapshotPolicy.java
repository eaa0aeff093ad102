package com.zed.model;

/**
 * When Zed snapshots: {@code beforeDeploy} takes one atomic snapshot of every affected dataset
 * before changing anything (the rollback point); {@code keep} is how many of Zed's own
 * snapshots to keep per dataset.
 */
public record SnapshotPolicy(boolean beforeDeploy, int keep, SourcePos pos) {
    public static final SnapshotPolicy DEFAULT = new SnapshotPolicy(true, 10, SourcePos.UNKNOWN);
}
