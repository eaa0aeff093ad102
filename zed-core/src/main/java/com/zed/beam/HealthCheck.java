package com.zed.beam;

import java.time.Duration;

/**
 * One way to tell whether an app is healthy. {@link #check(Duration)} never throws and never takes
 * (much) longer than the timeout: a silent peer, an unresolvable host or a hung handshake become a
 * failed {@link HealthResult} with a one-line reason.
 */
public interface HealthCheck {

    /** Runs the check once, bounded by {@code timeout}. */
    HealthResult check(Duration timeout);

    /** Runs the check once with its own configured timeout. */
    default HealthResult check() {
        return check(timeout());
    }

    /** The timeout configured for this check (the model's {@code timeoutMillis}). */
    Duration timeout();

    /** What is checked, e.g. {@code beamPing exmc@127.0.0.1 (epmd 127.0.0.1:4369)}; never contains a secret. */
    String describe();
}
