package com.zed.beam;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Watches a release after it was found healthy: runs its checks every {@link WatchPolicy#interval()}
 * for {@link WatchPolicy#period()} and stops at the first sustained failure
 * ({@link WatchPolicy#failuresInARow()} failing rounds in a row; a passing round resets the count).
 * The caller decides what a failure means (e.g. roll back and ghost the release). Blocking; interrupt
 * the thread to stop watching early.
 */
public final class HealthWatch {

    private final WatchPolicy policy;
    private final Consumer<List<HealthResult>> onRound;
    private final WaitClock clock;

    public HealthWatch(WatchPolicy policy) {
        this(policy, r -> { });
    }

    public HealthWatch(WatchPolicy policy, Consumer<List<HealthResult>> onRound) {
        this(policy, onRound, WaitClock.SYSTEM);
    }

    public HealthWatch(WatchPolicy policy, Consumer<List<HealthResult>> onRound, WaitClock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.onRound = Objects.requireNonNull(onRound, "onRound");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Rounds until the period is over (held) or a failure is sustained (not held). No checks: held at once. */
    public WatchReport watch(List<HealthCheck> checks) throws InterruptedException {
        long start = clock.nanoTime();
        if (checks.isEmpty()) {
            return new WatchReport(true, List.of(), Duration.ZERO, 0, Duration.ZERO);
        }
        long end = start + policy.period().toNanos();
        int rounds = 0;
        int failing = 0;
        long failingSince = 0;
        while (true) {
            long roundStart = clock.nanoTime();
            if (roundStart - end >= 0) {
                return new WatchReport(true, List.of(), Duration.ZERO, rounds, Duration.ofNanos(roundStart - start));
            }
            List<HealthResult> results = Rounds.run(checks, Duration.ofDays(1));
            rounds++;
            onRound.accept(results);
            if (results.stream().allMatch(HealthResult::healthy)) {
                failing = 0;
            } else {
                if (failing++ == 0) {
                    failingSince = roundStart;
                }
                if (failing >= policy.failuresInARow()) {
                    return new WatchReport(false, results, Duration.ofNanos(failingSince - start), rounds,
                            Duration.ofNanos(clock.nanoTime() - start));
                }
            }
            long next = Math.min(roundStart + policy.interval().toNanos(), end);
            long wait = next - clock.nanoTime();
            if (wait > 0) {
                clock.sleep(Duration.ofNanos(wait));
            }
        }
    }
}
