package com.zed.replicate;

import java.util.List;
import java.util.Optional;

/**
 * One decision of {@link ReplicationPlanner}: what to send next, or why nothing is sent.
 *
 * @param action     what to do
 * @param base       the incremental base on the source (a snapshot, or a bookmark when the snapshot was pruned)
 * @param to         the source snapshot the stream ends at
 * @param token      the target's resume token ({@link Action#RESUME})
 * @param rollbackTo with the rollback option on a diverged target: the target snapshot to roll back to first
 * @param divergence why the target is diverged (snapshots it has beyond the common base, bytes written); empty if not
 * @param message    one line for people
 */
public record ReplicationPlan(Action action, Optional<Point> base, Optional<Point> to, Optional<String> token,
                              Optional<Point> rollbackTo, List<String> divergence, String message) {

    public enum Action {
        /** The target's newest snapshot is the source's newest (matched by guid). */
        UP_TO_DATE(false),
        /** The target does not exist: a full stream of the source's oldest snapshot starts the chain. */
        FULL(false),
        /** A stream from the newest common snapshot (or bookmark) to the source's newest snapshot. */
        INCREMENTAL(false),
        /** An interrupted receive left a token on the target: send the rest of that stream. */
        RESUME(false),
        /**
         * The target's resume token refers to a snapshot (or incremental base) the source no longer
         * has: the rest of that stream can never be sent. Discard the partial receive
         * ({@code zfs receive -A}) and plan again.
         */
        ABORT_RESUME(false),
        /** The source has no snapshot to send. */
        REFUSE_NO_SNAPSHOT(true),
        /** The target exists but shares no snapshot (by guid) with the source. */
        REFUSE_NO_COMMON(true),
        /** The target has snapshots beyond the common base, or was written since its newest snapshot. */
        REFUSE_DIVERGED(true);

        private final boolean refusal;

        Action(boolean refusal) {
            this.refusal = refusal;
        }

        public boolean isRefusal() {
            return refusal;
        }
    }

    public ReplicationPlan {
        divergence = List.copyOf(divergence);
    }

    public boolean sends() {
        return action == Action.FULL || action == Action.INCREMENTAL || action == Action.RESUME;
    }
}
