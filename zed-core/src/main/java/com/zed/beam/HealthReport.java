package com.zed.beam;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link HealthWaiter#await} found: healthy or not, the results of the last round (for a failure:
 * the reasons to show), how many rounds ran, the total time, and how long the checks had been passing
 * without interruption at the end.
 */
public record HealthReport(boolean healthy, List<HealthResult> lastResults, int rounds, Duration elapsed,
                           Duration healthyFor) {

    public HealthReport {
        lastResults = List.copyOf(lastResults);
    }

    public List<HealthResult> failures() {
        return lastResults.stream().filter(r -> !r.healthy()).toList();
    }

    /**
     * One line: {@code healthy after 3 rounds (812 ms)}, or {@code unhealthy after 30000 ms (9 rounds):
     * beamPing a@h (epmd h:4369): node down (...); http http://h/health: HTTP 503 (expected 200)}.
     */
    public String summary() {
        if (healthy) {
            return "healthy after " + rounds + (rounds == 1 ? " round" : " rounds") + " (" + elapsed.toMillis() + " ms)";
        }
        String head = "unhealthy after " + elapsed.toMillis() + " ms (" + rounds + (rounds == 1 ? " round" : " rounds") + ")";
        List<HealthResult> failed = failures();
        if (failed.isEmpty()) {
            return head + ": passing for only " + healthyFor.toMillis() + " ms, not long enough to count as stable";
        }
        return head + ": " + failed.stream().map(r -> r.check() + ": " + r.reason()).collect(Collectors.joining("; "));
    }
}
