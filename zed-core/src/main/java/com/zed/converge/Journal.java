package com.zed.converge;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a transaction's progress on its lock, in ZFS: the intent once, then each phase as it
 * starts. A crash leaves the last phase behind, and {@code zed status} shows it.
 */
public final class Journal {
    public static final String COMMITTED = "committed";
    public static final String UNDOING = "undoing";
    public static final String NEEDS_ATTENTION = "needs-attention";

    private final PoolLock lock;
    private final Consumer<String> onPhase;

    Journal(PoolLock lock, Consumer<String> onPhase) {
        this.lock = lock;
        this.onPhase = onPhase;
    }

    void begin(Txn txn) {
        lock.record(Map.of(ZedProperties.TXN, txn.json(), ZedProperties.TXN_PHASE, "begun"));
    }

    /** Records that {@code phase} starts now; test builds can stop the process here (see {@link Faults}). */
    public void phase(String phase) {
        Cancellation.check();
        lock.record(Map.of(ZedProperties.TXN_PHASE, phase));
        onPhase.accept(phase);
        Faults.at(phase);
    }

    void needsAttention(String error) {
        String e = error.length() > 4000 ? error.substring(0, 4000) + "…" : error;
        lock.record(Map.of(ZedProperties.TXN_PHASE, NEEDS_ATTENTION, ZedProperties.TXN_ERROR, e));
        lock.keep();
    }
}
