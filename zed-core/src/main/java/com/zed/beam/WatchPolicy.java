package com.zed.beam;

import java.time.Duration;

/**
 * How {@link HealthWatch} watches a deployed release.
 *
 * @param period          how long to watch, from the first round
 * @param interval        time between the start of one round and the next
 * @param failuresInARow  how many consecutive failing rounds make a sustained failure (1 = any failure)
 */
public record WatchPolicy(Duration period, Duration interval, int failuresInARow) {

    public WatchPolicy {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("watch period must be positive");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("watch interval must be positive");
        }
        if (failuresInARow < 1) {
            throw new IllegalArgumentException("failuresInARow must be at least 1");
        }
    }

    /** Every 10 s for {@code period}; 3 failing rounds in a row are a sustained failure. */
    public static WatchPolicy of(Duration period) {
        return new WatchPolicy(period, Duration.ofSeconds(10), 3);
    }

    public WatchPolicy every(Duration d) {
        return new WatchPolicy(period, d, failuresInARow);
    }

    public WatchPolicy failuresInARow(int n) {
        return new WatchPolicy(period, interval, n);
    }
}
