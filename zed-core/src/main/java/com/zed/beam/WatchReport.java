package com.zed.beam;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@link HealthWatch#watch} found: whether the app held up for the whole period, and if not the
 * results of the round that made the failure sustained, when that failure began (from the start of
 * the watch), the rounds run and the time spent.
 */
public record WatchReport(boolean held, List<HealthResult> failure, Duration failingSince, int rounds,
                          Duration elapsed) {

    public WatchReport {
        failure = List.copyOf(failure);
    }

    /** {@code held for 600000 ms (60 rounds)} or {@code failed 31000 ms into the watch (3 rounds in a row): ...}. */
    public String summary() {
        if (held) {
            return "held for " + elapsed.toMillis() + " ms (" + rounds + (rounds == 1 ? " round)" : " rounds)");
        }
        return "failed " + failingSince.toMillis() + " ms into the watch, still failing after " + elapsed.toMillis()
                + " ms: " + failure.stream().filter(r -> !r.healthy()).map(r -> r.check() + ": " + r.reason())
                .collect(Collectors.joining("; "));
    }
}
