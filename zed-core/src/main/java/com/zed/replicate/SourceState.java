package com.zed.replicate;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What replication reads on the source: the dataset's snapshots and bookmarks, each sorted oldest first. */
public record SourceState(List<Point> snapshots, List<Point> bookmarks) {
    public SourceState {
        snapshots = snapshots.stream().sorted(Comparator.comparingLong(Point::createTxg)).toList();
        bookmarks = bookmarks.stream().sorted(Comparator.comparingLong(Point::createTxg)).toList();
    }

    public Optional<Point> newest() {
        return snapshots.isEmpty() ? Optional.empty() : Optional.of(snapshots.get(snapshots.size() - 1));
    }
}
