package com.zed.beam;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs all checks of an app in rounds until every one passes (and, with {@link WaitPolicy#stableFor()},
 * keeps passing), or the deadline comes. Checks of a round run in parallel, so a round takes as long as
 * its slowest check, and each check's timeout is cut to the time left before the deadline.
 */
public final class HealthWaiter {

    private final WaitPolicy policy;
    private final Consumer<List<HealthResult>> onRound;

    public HealthWaiter(WaitPolicy policy) {
        this(policy, results -> { });
    }

    /** {@code onRound} sees every round's results, e.g. to log progress; it must not block long. */
    public HealthWaiter(WaitPolicy policy, Consumer<List<HealthResult>> onRound) {
        this.policy = policy;
        this.onRound = onRound;
    }

    public HealthReport await(List<HealthCheck> checks) throws InterruptedException {
        if (checks.isEmpty()) {
            return new HealthReport(true, List.of(), 0, Duration.ZERO, Duration.ZERO);
        }
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(policy.deadline());
        int rounds = 0;
        int failuresInARow = 0;
        Long healthySince = null;
        List<HealthResult> last = List.of();
        while (true) {
            long roundStart = System.nanoTime();
            last = round(checks, deadline);
            rounds++;
            onRound.accept(last);
            boolean allOk = last.stream().allMatch(HealthResult::healthy);
            Duration wait;
            if (allOk) {
                failuresInARow = 0;
                if (healthySince == null) {
                    healthySince = roundStart;
                }
                Duration healthyFor = Duration.ofNanos(System.nanoTime() - healthySince);
                if (healthyFor.compareTo(policy.stableFor()) >= 0) {
                    return new HealthReport(true, last, rounds, since(start), healthyFor);
                }
                wait = policy.backoff().initial();
            } else {
                healthySince = null;
                failuresInARow++;
                wait = policy.backoff().delay(failuresInARow);
            }
            // Sleep, but leave the next round at least MIN_ROUND: a round of 1 ms would only replace
            // the real reasons with "timeout after 1 ms".
            long left = deadline.remaining().toMillis();
            if (left < MIN_ROUND_MILLIS) {
                return new HealthReport(false, last, rounds, since(start),
                        healthySince == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - healthySince));
            }
            Thread.sleep(Math.max(1, Math.min(wait.toMillis(), left - MIN_ROUND_MILLIS)));
        }
    }

    static final long MIN_ROUND_MILLIS = 50;

    private static List<HealthResult> round(List<HealthCheck> checks, Deadline deadline) throws InterruptedException {
        List<Future<HealthResult>> running = new ArrayList<>();
        List<Boolean> cut = new ArrayList<>();
        for (HealthCheck c : checks) {
            Duration t = min(c.timeout(), deadline.remaining());
            Duration timeout = t.isZero() ? Duration.ofMillis(1) : t;
            cut.add(timeout.compareTo(c.timeout()) < 0);
            running.add(Bounded.submit(() -> c.check(timeout)));
        }
        List<HealthResult> results = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            try {
                HealthResult r = running.get(i).get();
                if (!r.healthy() && cut.get(i) && r.reason().startsWith("timeout")) {
                    r = HealthResult.failed(r.check(), r.reason() + " (cut short by the overall deadline)", r.elapsed());
                }
                results.add(r);
            } catch (ExecutionException e) {
                // check() does not throw; a custom HealthCheck might.
                results.add(HealthResult.failed(checks.get(i).describe(),
                        "check crashed: " + AbstractHealthCheck.oneLine(e.getCause()), Duration.ZERO));
            }
        }
        return results;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
