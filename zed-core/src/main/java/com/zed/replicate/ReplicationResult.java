package com.zed.replicate;

import java.util.List;

/**
 * What one replication run did.
 *
 * @param outcome   how it ended
 * @param steps     each stream or change, in order, one line each
 * @param bytes     stream bytes moved (all rounds)
 * @param newest    the newest snapshot both sides now have (full source name), or empty text
 * @param destroyed target snapshots destroyed by its retention
 * @param message   one line for people (the refusal's reason, when refused)
 */
public record ReplicationResult(Outcome outcome, List<String> steps, long bytes, String newest, List<String> destroyed,
                                String message) {
    public enum Outcome { UP_TO_DATE, REPLICATED, REFUSED }

    public ReplicationResult {
        steps = List.copyOf(steps);
        destroyed = List.copyOf(destroyed);
    }
}
