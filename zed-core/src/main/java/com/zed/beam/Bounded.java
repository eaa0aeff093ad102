package com.zed.beam;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking probe code with a hard deadline. JInterface (and DNS, and a few socket calls) can
 * block without a timeout of their own, so every probe runs on a daemon worker; when the deadline
 * passes the caller stops waiting, and every socket the probe registered is closed, which unblocks
 * the worker's I/O so the thread ends promptly instead of leaking.
 */
final class Bounded {

    /** Collects what must be closed to unblock a probe that ran out of time. */
    static final class Guard {
        private final List<Closeable> resources = new ArrayList<>();
        private boolean closed;

        /** Registers {@code c}; closes it at once if the deadline already fired. */
        synchronized <T extends Closeable> T register(T c) {
            if (closed) {
                closeQuietly(c);
            } else {
                resources.add(c);
            }
            return c;
        }

        synchronized void closeAll() {
            closed = true;
            for (Closeable c : resources) {
                closeQuietly(c);
            }
            resources.clear();
        }

        private static void closeQuietly(Closeable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Closing only to unblock; nothing useful to do with a failure here.
            }
        }
    }

    @FunctionalInterface
    interface Probe<T> {
        T run(Guard guard) throws Exception;
    }

    /**
     * How long past the deadline to wait for the probe's own answer: its sockets time out at the
     * deadline and it can then say where it stalled; after the grace, we stop waiting regardless.
     */
    static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(30);

    private static final AtomicInteger THREADS = new AtomicInteger();

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "zed-health-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Bounded() {
    }

    /**
     * Runs {@code probe} and returns its value, or throws {@link TimeoutException} once {@code deadline}
     * passes. Exceptions of the probe are rethrown as they are. Registered resources are always closed
     * when this returns.
     */
    static <T> T run(Deadline deadline, Probe<T> probe) throws Exception {
        Guard guard = new Guard();
        Future<T> f = POOL.submit(() -> probe.run(guard));
        try {
            return f.get(deadline.remaining().toNanos() + GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } catch (TimeoutException | CancellationException e) {
            f.cancel(true);
            throw new TimeoutException();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            guard.closeAll();
        }
    }

    /** Runs {@code task} on the same daemon pool, for running several checks at once. */
    static <T> Future<T> submit(java.util.concurrent.Callable<T> task) {
        return POOL.submit(task);
    }
}
