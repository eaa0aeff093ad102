package com.zed.converge;

import com.zed.zfs.DestroyMode;
import com.zed.zfs.PoolName;
import com.zed.zfs.PropertyName;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.Zfs;
import com.zed.zfs.ZfsException;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One converge at a time per pool. The lock is the snapshot {@code <pool>@zed-lock}: creating a
 * snapshot whose name exists fails, atomically, in ZFS itself — no read-then-write race. Its
 * properties say who holds it; a stale one (its process gone) is reported and can be broken
 * explicitly.
 */
public final class PoolLock implements AutoCloseable {
    private final Zfs zfs;
    private final SnapshotName snapshot;
    private boolean held = true;

    private PoolLock(Zfs zfs, SnapshotName snapshot) {
        this.zfs = zfs;
        this.snapshot = snapshot;
    }

    /** Who holds a lock, from the lock snapshot's properties. */
    public record Holder(String owner, String host, long pid, String at) {
        /** The holder ran on this host and its process is gone. */
        public boolean staleHere(String thisHost) {
            return host.equals(thisHost) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        }

        @Override
        public String toString() {
            return owner + " (pid " + pid + " on " + host + ", since " + at + ")";
        }
    }

    public static final class LockedException extends RuntimeException {
        private final Holder holder;
        private final boolean stale;

        LockedException(PoolName pool, Holder holder, boolean stale) {
            super("pool '" + pool + "' is locked by " + holder + (stale
                    ? "; that process is gone — the lock is stale: rerun with --break-lock to remove it"
                    : "; another converge is running — wait for it, or if it is dead, rerun with --break-lock"));
            this.holder = holder;
            this.stale = stale;
        }

        public Holder holder() {
            return holder;
        }

        public boolean stale() {
            return stale;
        }
    }

    public static SnapshotName lockName(PoolName pool) {
        return pool.root().snapshot(ZedProperties.LOCK_SNAPSHOT);
    }

    public static PoolLock acquire(Zfs zfs, PoolName pool, String owner, String host, boolean breakLock, Clock clock) {
        SnapshotName s = lockName(pool);
        Map<PropertyName, String> props = Map.of(
                ZedProperties.LOCK_OWNER, owner,
                ZedProperties.LOCK_HOST, host,
                ZedProperties.LOCK_PID, Long.toString(ProcessHandle.current().pid()),
                ZedProperties.LOCK_AT, clock.instant().toString());
        try {
            zfs.snapshot(List.of(s), false, props);
            return new PoolLock(zfs, s);
        } catch (ZfsException.DatasetExistsException e) {
            Holder h = holder(zfs, pool).orElse(new Holder("unknown", "unknown", -1, "unknown"));
            if (!breakLock) {
                throw new LockedException(pool, h, h.staleHere(host));
            }
            zfs.destroy(s, DestroyMode.SINGLE);
            zfs.snapshot(List.of(s), false, props);
            return new PoolLock(zfs, s);
        }
    }

    /** The current holder of the pool's lock, if any. */
    public static Optional<Holder> holder(Zfs zfs, PoolName pool) {
        SnapshotName s = lockName(pool);
        if (!zfs.exists(s.value())) {
            return Optional.empty();
        }
        var t = zfs.properties(s.value(), List.of(ZedProperties.LOCK_OWNER, ZedProperties.LOCK_HOST,
                ZedProperties.LOCK_PID, ZedProperties.LOCK_AT));
        String n = s.value();
        long pid;
        try {
            pid = Long.parseLong(t.value(n, ZedProperties.LOCK_PID.value()).orElse("-1"));
        } catch (NumberFormatException e) {
            pid = -1;
        }
        return Optional.of(new Holder(t.value(n, ZedProperties.LOCK_OWNER.value()).orElse("unknown"),
                t.value(n, ZedProperties.LOCK_HOST.value()).orElse("unknown"), pid,
                t.value(n, ZedProperties.LOCK_AT.value()).orElse("unknown")));
    }

    @Override
    public void close() {
        if (held) {
            held = false;
            zfs.destroy(snapshot, DestroyMode.SINGLE);
        }
    }
}
