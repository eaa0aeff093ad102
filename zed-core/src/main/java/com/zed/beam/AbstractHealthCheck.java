package com.zed.beam;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Shared shape of every check: run the probe under a hard {@link Deadline}, time it, and turn any
 * exception into a one-line reason. Subclasses only write the probe.
 */
abstract class AbstractHealthCheck implements HealthCheck {

    private final Duration timeout;

    AbstractHealthCheck(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout.toMillis() + " ms");
        }
        this.timeout = timeout;
    }

    @Override
    public final Duration timeout() {
        return timeout;
    }

    /** Returns null when healthy, else the reason. Throwing is fine: see {@link #reason}. */
    abstract String probe(Deadline deadline, Bounded.Guard guard) throws Exception;

    @Override
    public final HealthResult check(Duration timeout) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(timeout);
        String failure;
        try {
            failure = Bounded.run(deadline, guard -> probe(deadline, guard));
        } catch (TimeoutException e) {
            failure = deadline.timeoutReason();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (Exception e) {
            failure = reason(e, deadline);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return failure == null ? HealthResult.ok(describe(), elapsed) : HealthResult.failed(describe(), failure, elapsed);
    }

    /** Maps an exception of the probe to a reason; subclasses add their own cases first. */
    String reason(Exception e, Deadline deadline) {
        return networkReason(e, deadline);
    }

    /** Reasons common to every check that opens a socket. */
    static String networkReason(Throwable e, Deadline deadline) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException) {
                return deadline.timeoutReason();
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof ConnectException) {
                String m = String.valueOf(t.getMessage()).toLowerCase();
                return m.startsWith("connection refused") ? "connection refused" : "cannot connect: " + t.getMessage();
            }
        }
        return oneLine(e);
    }

    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        return s.replaceAll("\\s+", " ").trim();
    }
}
