package com.zed.beam;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs all checks of an app in rounds until every one passes and keeps passing for
 * {@link WaitPolicy#stableFor()}, or the deadline comes. Checks of a round run in parallel, so a
 * round takes as long as its slowest check, and each check's timeout is cut to the time left before
 * the deadline.
 *
 * <p><b>Stability window.</b> It opens at the start of the first round in which every check passes.
 * Any failing round closes it (the next passing round opens a new one). The app is healthy at the
 * first all-passing round that starts at least {@code stableFor} after the window opened, so the
 * checks were seen passing at both ends and at every round in between (rounds repeat every
 * {@code backoff.initial()} while the window is open). The deadline covers the window: a window that
 * cannot close before it is a failure ("passing for only N ms").
 *
 * <p>With no checks at all, {@link #await} is healthy at once: give a release without checks a
 * {@link ServiceStableCheck}, so that it must stay up without restarts for the window.
 */
public final class HealthWaiter {

    static final long MIN_ROUND_MILLIS = 50;

    private final WaitPolicy policy;
    private final Consumer<List<HealthResult>> onRound;
    private final WaitClock clock;

    public HealthWaiter(WaitPolicy policy) {
        this(policy, results -> { });
    }

    /** {@code onRound} sees every round's results, e.g. to log progress; it must not block long. */
    public HealthWaiter(WaitPolicy policy, Consumer<List<HealthResult>> onRound) {
        this(policy, onRound, WaitClock.SYSTEM);
    }

    /** With the clock to read and sleep on (a fake one in specs). */
    public HealthWaiter(WaitPolicy policy, Consumer<List<HealthResult>> onRound, WaitClock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.onRound = Objects.requireNonNull(onRound, "onRound");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public HealthReport await(List<HealthCheck> checks) throws InterruptedException {
        if (checks.isEmpty()) {
            return new HealthReport(true, List.of(), 0, Duration.ZERO, Duration.ZERO);
        }
        long start = clock.nanoTime();
        long deadlineAt = start + policy.deadline().toNanos();
        long stable = policy.stableFor().toNanos();
        int rounds = 0;
        int failuresInARow = 0;
        Long windowStart = null;
        while (true) {
            long roundStart = clock.nanoTime();
            List<HealthResult> last = Rounds.run(checks, Duration.ofNanos(Math.max(0, deadlineAt - roundStart)));
            rounds++;
            onRound.accept(last);
            boolean allOk = last.stream().allMatch(HealthResult::healthy);
            long now = clock.nanoTime();
            long wait;
            if (allOk) {
                failuresInARow = 0;
                if (windowStart == null) {
                    windowStart = roundStart;
                }
                long healthyFor = roundStart - windowStart;
                if (healthyFor >= stable) {
                    return new HealthReport(true, last, rounds, Duration.ofNanos(now - start), Duration.ofNanos(healthyFor));
                }
                // Next round when the window is covered, or sooner to watch it.
                wait = Math.min(policy.backoff().initial().toNanos(), windowStart + stable - now);
            } else {
                windowStart = null;
                failuresInARow++;
                wait = policy.backoff().delay(failuresInARow).toNanos();
            }
            // Sleep, but leave the next round at least MIN_ROUND: a round of 1 ms would only replace
            // the real reasons with "timeout after 1 ms".
            long spare = deadlineAt - now - MIN_ROUND_MILLIS * 1_000_000;
            if (spare < 1_000_000) {
                return new HealthReport(false, last, rounds, Duration.ofNanos(now - start),
                        windowStart == null ? Duration.ZERO : Duration.ofNanos(now - windowStart));
            }
            clock.sleep(Duration.ofNanos(Math.max(1_000_000, Math.min(wait, spare))));
        }
    }
}
