package com.zed.exec;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Kills an {@link Execution} when its timeout passes: one daemon timer thread for all runners. */
final class Watchdog implements AutoCloseable {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "zed-command-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final AtomicBoolean fired = new AtomicBoolean();
    private final ScheduledFuture<?> task;

    private Watchdog(Execution ex, Duration timeout) {
        this.task = TIMER.schedule(() -> {
            fired.set(true);
            ex.kill();
        }, Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    static Watchdog arm(Execution ex, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a command timeout must be positive, got " + timeout);
        }
        return new Watchdog(ex, timeout);
    }

    /** True once the timeout passed and the execution was killed. */
    boolean fired() {
        return fired.get();
    }

    /** Disarms; a kill that already happened stays reported by {@link #fired()}. */
    @Override
    public void close() {
        task.cancel(false);
    }
}
