package com.zed.converge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An operator's SIGINT/SIGTERM during apply: the CLI calls {@link #request()} from its signal
 * handler; the running transaction notices at its next phase (or a step's own check) and rolls back
 * before exiting. Hooks let a long remote step stop early (e.g. a running pre-command unit).
 */
public final class Cancellation {
    private static volatile String reason;
    /** While an undo runs, a stop request is acknowledged and ignored: stopping half-way through an undo helps nobody. */
    private static volatile boolean shielded;
    private static final List<Runnable> HOOKS = new CopyOnWriteArrayList<>();

    private Cancellation() {
    }

    /** Asks the running transaction to stop and roll back. */
    public static void request(String why) {
        if (reason == null && !shielded) {
            reason = why;
            HOOKS.forEach(h -> {
                try {
                    h.run();
                } catch (RuntimeException ignored) {
                    // best effort: the phase check still stops the transaction
                }
            });
        }
    }

    public static boolean requested() {
        return reason != null;
    }

    /** Throws when a stop was requested; transactions call it between steps. */
    public static void check() {
        if (reason != null) {
            throw new CancelledException(reason);
        }
    }

    /** Runs {@code hook} if a stop is requested while {@code body} runs. */
    public static <T> T whileRunning(Runnable hook, java.util.function.Supplier<T> body) {
        HOOKS.add(hook);
        try {
            if (requested()) {
                hook.run();
            }
            return body.get();
        } finally {
            HOOKS.remove(hook);
        }
    }

    /**
     * The undo starts: the request that led to it is done with, and later ones are ignored until the
     * process ends, so the undo's own steps (restarting the old release, waiting for its health) run.
     */
    public static void shield() {
        shielded = true;
        reason = null;
    }

    /** For specs: forget an earlier request and the shield. */
    public static void reset() {
        reason = null;
        shielded = false;
    }

    public static final class CancelledException extends RuntimeException {
        CancelledException(String why) {
            super("stopped by the operator (" + why + ")");
        }
    }
}
