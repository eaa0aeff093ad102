package com.zed.beam;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of one run of a check: healthy or not, a one-line reason ({@code ok}, {@code node down},
 * {@code wrong cookie}, {@code timeout after 2000 ms}, {@code HTTP 503 (expected 200)},
 * {@code connection refused}, {@code rpc returned error (expected ok)}, ...) and the time it took.
 */
public record HealthResult(String check, boolean healthy, String reason, Duration elapsed) {

    public HealthResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    public static HealthResult ok(String check, Duration elapsed) {
        return new HealthResult(check, true, "ok", elapsed);
    }

    public static HealthResult failed(String check, String reason, Duration elapsed) {
        return new HealthResult(check, false, reason, elapsed);
    }

    /** {@code beamPing exmc@127.0.0.1 (epmd 127.0.0.1:4369): node down (12 ms)}. */
    @Override
    public String toString() {
        return check + ": " + reason + " (" + elapsed.toMillis() + " ms)";
    }
}
