package com.zed.replicate;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What replication reads on the target dataset.
 *
 * @param exists      the dataset exists (a partial first receive counts: it carries a resume token)
 * @param snapshots   its snapshots, sorted oldest first
 * @param resumeToken its {@code receive_resume_token}, when an interrupted resumable receive left one
 * @param written     its {@code written} property: bytes written since its newest snapshot
 */
public record TargetState(boolean exists, List<Point> snapshots, Optional<String> resumeToken, long written) {
    public TargetState {
        snapshots = snapshots.stream().sorted(Comparator.comparingLong(Point::createTxg)).toList();
    }

    public static TargetState absent() {
        return new TargetState(false, List.of(), Optional.empty(), 0);
    }
}
