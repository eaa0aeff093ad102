package com.zed.cluster;

import java.util.Optional;

/** How one host ended a cluster run. */
public record HostReport(String host, Outcome outcome, Optional<String> snapshot, Optional<String> error, long millis) {

    public enum Outcome {
        /** Converged to the script; {@code snapshot} is its rollback point. */
        UPDATED(true),
        /** Already as the script says. */
        UNCHANGED(true),
        /** Its converge failed and its own transaction restored it. */
        FAILED(true),
        /** Stopped by the fallback while converging; its transaction restored it. */
        CANCELLED(true),
        /** Updated, then returned to its before-deploy snapshot by the fallback. */
        ROLLED_BACK(true),
        /** Never started: the fallback stopped the run first. */
        SKIPPED(true),
        /** Not reachable, or the connection broke: the next run on it recovers it first. */
        LOST(false),
        /** Updated, and the fallback's rollback of it failed: see the error; `zed rollback` on it. */
        ROLLBACK_FAILED(false);

        private final boolean known;

        Outcome(boolean known) {
            this.known = known;
        }

        /** Is the host on a known version (the old or the new) now? */
        public boolean known() {
            return known;
        }

        public boolean ok() {
            return this == UPDATED || this == UNCHANGED;
        }

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    HostReport with(Outcome o, Optional<String> err) {
        return new HostReport(host, o, snapshot, err.isPresent() ? err : error, millis);
    }
}
