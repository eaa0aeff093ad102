package com.zed.beam;

import java.time.Duration;

/** A point in {@link System#nanoTime()} time; immune to wall-clock jumps. */
record Deadline(long atNanos, Duration budget) {

    static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - System.nanoTime()));
    }

    /**
     * Remaining time as a socket timeout, rounded up so a socket never gives up before the deadline;
     * at least 1 ms, because 0 means "forever" to java.net.
     */
    int remainingMillisForSocket() {
        long ms = (remaining().toNanos() + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    boolean expired() {
        return System.nanoTime() - atNanos >= 0;
    }

    String timeoutReason() {
        return "timeout after " + budget.toMillis() + " ms";
    }
}
