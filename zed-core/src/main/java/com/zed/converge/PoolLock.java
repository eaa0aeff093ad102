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
import java.util.UUID;

/**
 * One converge at a time per pool, and the journal of the one that runs. The lock is the snapshot
 * {@code <pool>@zed-lock}: creating a snapshot whose name exists fails, atomically, in ZFS itself.
 * Its properties say who holds it (user, host, pid, the pid's start time and a random token) and
 * carry the running transaction: its intent ({@code com.zed:txn}) and how far it got
 * ({@code com.zed:txn-phase}). So a process that finds a lock can tell whether its holder is
 * provably gone and finish or undo what it left.
 *
 * <p>Taking over a lock is atomic too: the taker creates {@code <pool>@zed-claim-<old token>}
 * first, which only one process can do for a given holder. Releasing is owner-checked: a process
 * destroys the lock only while the token on it is its own.
 */
public final class PoolLock implements AutoCloseable {
    static final String CLAIM_PREFIX = "zed-claim-";

    private final Zfs zfs;
    private final SnapshotName snapshot;
    private final Holder self;
    private Optional<SnapshotName> claim;
    private boolean held = true;

    private PoolLock(Zfs zfs, SnapshotName snapshot, Holder self, Optional<SnapshotName> claim) {
        this.zfs = zfs;
        this.snapshot = snapshot;
        this.self = self;
        this.claim = claim;
    }

    /**
     * Who holds a lock, from the lock snapshot's properties.
     *
     * @param started the holder process's start time as the OS reports it (pid reuse tells apart)
     * @param token   random per acquisition: the owner check on release and take-over
     */
    public record Holder(String owner, String host, long pid, String started, String token, String at) {
        /** Provably gone: it ran on this host, and no process with its pid and start time exists. */
        public boolean goneFrom(String thisHost) {
            if (!host.equals(thisHost) || pid <= 0) {
                return false;
            }
            return ProcessHandle.of(pid).map(p -> !p.isAlive() || !startOf(p).equals(started)).orElse(true);
        }

        /**
         * Is it this very process (same actor, host, pid and start time)? A cluster run asks, for a host
         * whose connection it lost and got back: a lock of its own there is a transaction it must finish.
         */
        public boolean isThisProcess(Actor actor) {
            ProcessHandle p = ProcessHandle.current();
            return owner.equals(actor.toString()) && host.equals(actor.host()) && pid == p.pid()
                    && started.equals(startOf(p));
        }

        /** How a human names this holder to {@code --force-unlock}. */
        public String id() {
            return owner + ":" + pid;
        }

        @Override
        public String toString() {
            return owner + " (pid " + pid + " on " + host + ", since " + at + ")";
        }
    }

    /** A lock as found: its holder and the transaction it journals, if any. */
    public record State(Holder holder, Optional<String> txn, Optional<String> phase, Optional<String> error) {
        public boolean needsAttention() {
            return phase.filter(Journal.NEEDS_ATTENTION::equals).isPresent();
        }
    }

    public static final class LockedException extends RuntimeException {
        private final transient State state;
        private final boolean gone;

        LockedException(PoolName pool, State state, boolean gone, String advice) {
            super("pool '" + pool + "' is locked by " + state.holder() + "; " + advice);
            this.state = state;
            this.gone = gone;
        }

        public State state() {
            return state;
        }

        /** The holder is provably gone (its lock can be taken over without --force-unlock). */
        public boolean holderGone() {
            return gone;
        }
    }

    public static SnapshotName lockName(PoolName pool) {
        return pool.root().snapshot(ZedProperties.LOCK_SNAPSHOT);
    }

    static String startOf(ProcessHandle p) {
        return p.info().startInstant().map(Object::toString).orElse("?");
    }

    private static Holder me(Actor actor, Clock clock) {
        ProcessHandle p = ProcessHandle.current();
        return new Holder(actor.toString(), actor.host(), p.pid(), startOf(p), UUID.randomUUID().toString(),
                clock.instant().toString());
    }

    private static Map<PropertyName, String> props(Holder h) {
        return Map.of(ZedProperties.LOCK_OWNER, h.owner(), ZedProperties.LOCK_HOST, h.host(),
                ZedProperties.LOCK_PID, Long.toString(h.pid()), ZedProperties.LOCK_STARTED, h.started(),
                ZedProperties.LOCK_TOKEN, h.token(), ZedProperties.LOCK_AT, h.at());
    }

    /** Takes the pool's lock, or throws {@link LockedException} with the state found. */
    public static PoolLock acquire(Zfs zfs, PoolName pool, Actor actor, Clock clock) {
        SnapshotName s = lockName(pool);
        Holder h = me(actor, clock);
        try {
            zfs.snapshot(List.of(s), false, props(h));
            return new PoolLock(zfs, s, h, Optional.empty());
        } catch (ZfsException.DatasetExistsException e) {
            State found = read(zfs, pool).orElseThrow(() -> e);
            boolean gone = found.holder().goneFrom(actor.host());
            throw new LockedException(pool, found, gone, gone
                    ? "that process is gone: `zed recover` (or the next `zed run`) finishes its deploy"
                    : "another zed is running, or ran on another host");
        }
    }

    /**
     * Takes over the lock from the holder seen in {@code found}: only one process can, and only
     * while that holder is still the one on the lock. The journal stays, so the taker can undo it.
     */
    public static PoolLock takeOver(Zfs zfs, PoolName pool, State found, Actor actor, Clock clock) {
        SnapshotName claim = pool.root().snapshot(CLAIM_PREFIX + found.holder().token());
        try {
            zfs.snapshot(List.of(claim), false, Map.of(ZedProperties.LOCK_OWNER, actor.toString()));
        } catch (ZfsException.DatasetExistsException e) {
            throw new IllegalStateException("another process is already taking over the lock of " + found.holder()
                    + " (" + claim + " exists)");
        }
        Optional<State> now = read(zfs, pool);
        if (now.isEmpty() || !now.get().holder().token().equals(found.holder().token())) {
            zfs.destroy(claim, DestroyMode.SINGLE);
            throw new IllegalStateException("the lock on pool '" + pool + "' changed hands meanwhile; run again");
        }
        Holder h = me(actor, clock);
        zfs.set(lockName(pool).value(), props(h));
        return new PoolLock(zfs, lockName(pool), h, Optional.of(claim));
    }

    /** The lock of the pool as it is now, if any. */
    public static Optional<State> read(Zfs zfs, PoolName pool) {
        SnapshotName s = lockName(pool);
        if (!zfs.exists(s.value())) {
            return Optional.empty();
        }
        var t = zfs.properties(s.value(), List.of(ZedProperties.LOCK_OWNER, ZedProperties.LOCK_HOST,
                ZedProperties.LOCK_PID, ZedProperties.LOCK_STARTED, ZedProperties.LOCK_TOKEN, ZedProperties.LOCK_AT,
                ZedProperties.TXN, ZedProperties.TXN_PHASE, ZedProperties.TXN_ERROR));
        String n = s.value();
        long pid;
        try {
            pid = Long.parseLong(t.value(n, ZedProperties.LOCK_PID.value()).orElse("-1"));
        } catch (NumberFormatException e) {
            pid = -1;
        }
        var h = new Holder(t.value(n, ZedProperties.LOCK_OWNER.value()).orElse("unknown"),
                t.value(n, ZedProperties.LOCK_HOST.value()).orElse("unknown"), pid,
                t.value(n, ZedProperties.LOCK_STARTED.value()).orElse("?"),
                t.value(n, ZedProperties.LOCK_TOKEN.value()).orElse(""),
                t.value(n, ZedProperties.LOCK_AT.value()).orElse("unknown"));
        return Optional.of(new State(h, t.value(n, ZedProperties.TXN.value()), t.value(n, ZedProperties.TXN_PHASE.value()),
                t.value(n, ZedProperties.TXN_ERROR.value())));
    }

    /** Convenience for status: who holds the pool's lock. */
    public static Optional<Holder> holder(Zfs zfs, PoolName pool) {
        return read(zfs, pool).map(State::holder);
    }

    public Holder self() {
        return self;
    }

    /** Writes journal properties on the lock (intent, phase, error). */
    void record(Map<PropertyName, String> props) {
        zfs.set(snapshot.value(), props);
    }

    /** Keeps the lock in place when this process ends (a failed rollback needs a human). */
    void keep() {
        held = false;
    }

    /** Releases the lock if it is still ours (the token on it is this process's). */
    @Override
    public void close() {
        if (!held) {
            return;
        }
        held = false;
        Optional<State> now = read(zfs, snapshot.dataset().pool());
        if (now.isPresent() && now.get().holder().token().equals(self.token())) {
            zfs.destroy(snapshot, DestroyMode.SINGLE);
        }
        claim.ifPresent(c -> {
            if (zfs.exists(c.value())) {
                zfs.destroy(c, DestroyMode.SINGLE);
            }
        });
        claim = Optional.empty();
    }
}
