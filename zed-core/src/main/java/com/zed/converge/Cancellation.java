package com.zed.converge;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A request to stop a running transaction: it notices at its next phase (or a step's own check) and
 * rolls back before exiting. Hooks let a long remote step stop early (e.g. a running pre-command unit).
 *
 * <p>Requests are scoped. A transaction runs in the {@linkplain #scope() scope} bound to its thread
 * (a cluster run gives each host's converge its own, so stopping one host leaves the others alone),
 * or in the process's scope when none is bound. {@link #request} — the operator's SIGINT/SIGTERM —
 * reaches every scope; {@link Scope#request} only its own.
 */
public final class Cancellation {
    private static final Scope PROCESS = new Scope();
    private static final Set<Scope> LIVE = ConcurrentHashMap.newKeySet();
    private static final InheritableThreadLocal<Scope> CURRENT = new InheritableThreadLocal<>();

    private Cancellation() {
    }

    private static Scope current() {
        Scope s = CURRENT.get();
        return s != null ? s : PROCESS;
    }

    /** A new scope, to run one transaction in ({@link Scope#run}). */
    public static Scope scope() {
        return new Scope();
    }

    /** Asks every running transaction to stop and roll back (the operator's signal). */
    public static void request(String why) {
        PROCESS.request(why);
        LIVE.forEach(s -> s.request(why));
    }

    public static boolean requested() {
        return current().requested();
    }

    /** Throws when a stop was requested in this thread's scope; transactions call it between steps. */
    public static void check() {
        current().check();
    }

    /** Runs {@code hook} if a stop is requested while {@code body} runs. */
    public static <T> T whileRunning(Runnable hook, Supplier<T> body) {
        return current().whileRunning(hook, body);
    }

    /**
     * The undo starts: the request that led to it is done with, and later ones are ignored until the
     * scope ends (the process, for the unscoped), so the undo's own steps (restarting the old
     * release, waiting for its health) run.
     */
    public static void shield() {
        current().shield();
    }

    /** For specs: forget an earlier request and the shield. */
    public static void reset() {
        PROCESS.reset();
    }

    /** Where one transaction's stop requests go. */
    public static final class Scope {
        private volatile String reason;
        private volatile boolean shielded;
        private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

        private Scope() {
        }

        /** Runs {@code body} on this thread with this scope bound (and reachable by {@link Cancellation#request}). */
        public <T> T run(Supplier<T> body) {
            Scope before = CURRENT.get();
            CURRENT.set(this);
            LIVE.add(this);
            try {
                return body.get();
            } finally {
                LIVE.remove(this);
                if (before == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(before);
                }
            }
        }

        /** Asks the transaction of this scope to stop and roll back. */
        public void request(String why) {
            if (reason == null && !shielded) {
                reason = why;
                hooks.forEach(h -> {
                    try {
                        h.run();
                    } catch (RuntimeException ignored) {
                        // best effort: the phase check still stops the transaction
                    }
                });
            }
        }

        public boolean requested() {
            return reason != null;
        }

        void check() {
            String r = reason;
            if (r != null) {
                throw new CancelledException(r);
            }
        }

        <T> T whileRunning(Runnable hook, Supplier<T> body) {
            hooks.add(hook);
            try {
                if (requested()) {
                    hook.run();
                }
                return body.get();
            } finally {
                hooks.remove(hook);
            }
        }

        void shield() {
            shielded = true;
            reason = null;
        }

        void reset() {
            reason = null;
            shielded = false;
        }
    }

    public static final class CancelledException extends RuntimeException {
        CancelledException(String why) {
            super("stopped by the operator (" + why + ")");
        }
    }
}
