package com.zed.converge;

import com.zed.zfs.PropertyName;

import java.util.Set;

/** The {@code com.zed:} properties Zed keeps its state in — on datasets and on its snapshots. */
public final class ZedProperties {
    private ZedProperties() {
    }

    // On datasets: what is deployed there.
    /** The deploy (script) that manages this dataset. Compared by the planner. */
    public static final PropertyName DEPLOY = PropertyName.zed("deploy");
    /** The app whose release lives in this dataset. Compared. */
    public static final PropertyName APP = PropertyName.zed("app");
    /** The app's deployed version. Compared. */
    public static final PropertyName VERSION = PropertyName.zed("version");
    /** Versions that failed their health check and were rolled back: not deployed again without --force. */
    public static final PropertyName GHOSTED = PropertyName.zed("ghosted");
    /** When and by whom the dataset last changed, and from which script: written, never compared. */
    public static final PropertyName DEPLOYED_AT = PropertyName.zed("deployed-at");
    public static final PropertyName DEPLOYED_BY = PropertyName.zed("deployed-by");
    public static final PropertyName SCRIPT_HASH = PropertyName.zed("script-hash");

    // On Zed's snapshots: the audit log and the rollback data.
    /** Marks a snapshot as Zed's and says why it exists ({@code before-deploy}). Retention keys on it. */
    public static final PropertyName SNAPSHOT = PropertyName.zed("snapshot");
    public static final String BEFORE_DEPLOY = "before-deploy";
    public static final PropertyName AT = PropertyName.zed("at");
    public static final PropertyName BY = PropertyName.zed("by");
    /** JSON: the dataset's properties the deploy changed, as they were (null = was not set locally). */
    public static final PropertyName RESTORE = PropertyName.zed("restore");
    /**
     * How the deploy that took the snapshot ended: {@code pending} (running, or interrupted and not yet
     * recovered), {@code ok}, {@code rolled-back}, {@code interrupted} (killed, then undone by a later run),
     * {@code needs-attention} (its rollback failed).
     */
    public static final PropertyName RESULT = PropertyName.zed("result");
    /** Human summary of the deploy's plan, e.g. {@code exmc 1.4.1→1.4.2; ~compression}. */
    public static final PropertyName SUMMARY = PropertyName.zed("summary");

    // The per-pool lock (a snapshot of the pool's root dataset; its name is the mutex).
    public static final String LOCK_SNAPSHOT = "zed-lock";
    public static final PropertyName LOCK_OWNER = PropertyName.zed("lock-owner");
    public static final PropertyName LOCK_PID = PropertyName.zed("lock-pid");
    public static final PropertyName LOCK_HOST = PropertyName.zed("lock-host");
    public static final PropertyName LOCK_AT = PropertyName.zed("lock-at");
    /** The holder process's start time: with the pid, it proves whether the holder is gone. */
    public static final PropertyName LOCK_STARTED = PropertyName.zed("lock-started");
    /** Random per acquisition: release and take-over check it. */
    public static final PropertyName LOCK_TOKEN = PropertyName.zed("lock-token");
    /** On the lock: the running transaction's intent (JSON, no secrets), written before its first side effect. */
    public static final PropertyName TXN = PropertyName.zed("txn");
    /** On the lock: how far the transaction got ({@code step 3/5: …}, {@code committed}, {@code needs-attention}). */
    public static final PropertyName TXN_PHASE = PropertyName.zed("txn-phase");
    /** On the lock: why a rollback failed, when the phase is {@code needs-attention}. */
    public static final PropertyName TXN_ERROR = PropertyName.zed("txn-error");
    /** On datasets a deploy created: its transaction id, so an undo finds them even after a crash. */
    public static final PropertyName CREATED_IN = PropertyName.zed("created-in");
    /** On an app's dataset: its declared configuration that the target cannot show (pre-commands, checks). */
    public static final PropertyName APP_CONFIG = PropertyName.zed("app-config");
    /** On before-deploy snapshots: who recovered an interrupted deploy, and when. */
    public static final PropertyName RECOVERED_BY = PropertyName.zed("recovered-by");

    /** Written at apply time, never compared: they change on every deploy by design. */
    public static final Set<PropertyName> BOOKKEEPING = Set.of(DEPLOYED_AT, DEPLOYED_BY, SCRIPT_HASH);

    /** Deploy-result markers that must survive a rollback: excluded from before/after comparison. */
    public static final Set<String> OUTCOME = Set.of(GHOSTED.value());

    /** Space accounting and counters that move on their own; excluded when comparing whole states. */
    public static final Set<String> VOLATILE = Set.of("used", "available", "referenced", "usedbysnapshots",
            "usedbydataset", "usedbychildren", "usedbyrefreservation", "written", "logicalused",
            "logicalreferenced", "compressratio", "refcompressratio", "snapshots_changed", "snapshot_count",
            "filesystem_count");
}
