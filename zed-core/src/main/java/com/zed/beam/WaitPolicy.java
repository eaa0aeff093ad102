package com.zed.beam;

import java.time.Duration;

/**
 * How long {@link HealthWaiter} keeps trying.
 *
 * @param deadline  overall limit from the first round; no round runs past it (each check's timeout is
 *                  cut to what is left)
 * @param backoff   delays between failed rounds
 * @param stableFor how long every check must pass continuously before the app counts as healthy;
 *                  zero = the first all-passing round is enough. While stabilizing, rounds repeat
 *                  every {@code backoff.initial()}.
 */
public record WaitPolicy(Duration deadline, Backoff backoff, Duration stableFor) {

    public WaitPolicy {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive");
        }
        if (stableFor.isNegative()) {
            throw new IllegalArgumentException("stableFor must not be negative");
        }
    }

    public static WaitPolicy within(Duration deadline) {
        return new WaitPolicy(deadline, Backoff.DEFAULT, Duration.ZERO);
    }

    public WaitPolicy withBackoff(Backoff b) {
        return new WaitPolicy(deadline, b, stableFor);
    }

    public WaitPolicy stableFor(Duration d) {
        return new WaitPolicy(deadline, backoff, d);
    }
}
