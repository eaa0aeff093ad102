package com.zed.beam;

import java.time.Duration;

/**
 * Exponential backoff between rounds of checks: {@code initial}, then times {@code multiplier}, never
 * more than {@code max}. No jitter: one deployer polls one app, there is no herd to spread out, and
 * fixed delays keep runs reproducible.
 */
public record Backoff(Duration initial, Duration max, double multiplier) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 2.0);

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial delay must be positive");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max delay must be at least the initial delay");
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1");
        }
    }

    /** The delay after the {@code failures}-th failed round in a row (1-based). */
    public Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures is 1-based");
        }
        double ms = initial.toMillis() * Math.pow(multiplier, failures - 1);
        return ms >= max.toMillis() ? max : Duration.ofMillis((long) ms);
    }
}
