package com.zed.beam;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** One round: every check at once (in parallel), each with its timeout cut to {@code left}. */
final class Rounds {

    private Rounds() {
    }

    static List<HealthResult> run(List<HealthCheck> checks, Duration left) throws InterruptedException {
        List<Future<HealthResult>> running = new ArrayList<>();
        List<Boolean> cut = new ArrayList<>();
        for (HealthCheck c : checks) {
            Duration t = c.timeout().compareTo(left) <= 0 ? c.timeout() : left;
            Duration timeout = t.isZero() || t.isNegative() ? Duration.ofMillis(1) : t;
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
}
