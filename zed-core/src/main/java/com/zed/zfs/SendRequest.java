package com.zed.zfs;

import java.util.Optional;

/**
 * What {@code zfs send} should produce.
 *
 * @param snapshot      the snapshot to send
 * @param from          incremental base: a snapshot or bookmark (full name) — empty for a full stream
 * @param intermediates with {@code from}: include every snapshot between (-I) instead of just the delta (-i)
 * @param replicate     -R: the dataset tree, its properties and snapshots
 * @param properties    -p: include properties (implied by -R)
 * @param raw           -w: encrypted blocks as they are on disk
 * @param compressed    -c: keep on-disk compression in the stream
 */
public record SendRequest(SnapshotName snapshot, Optional<String> from, boolean intermediates, boolean replicate,
                          boolean properties, boolean raw, boolean compressed) {

    public static SendRequest full(SnapshotName snap) {
        return new SendRequest(snap, Optional.empty(), false, false, false, false, false);
    }

    public SendRequest withReplicate() {
        return new SendRequest(snapshot, from, intermediates, true, properties, raw, compressed);
    }

    public SendRequest withProperties() {
        return new SendRequest(snapshot, from, intermediates, replicate, true, raw, compressed);
    }

    public SendRequest incrementalFrom(SnapshotName base, boolean allIntermediate) {
        return new SendRequest(snapshot, Optional.of(base.value()), allIntermediate, replicate, properties, raw, compressed);
    }

    public SendRequest incrementalFrom(BookmarkName base) {
        return new SendRequest(snapshot, Optional.of(base.value()), false, replicate, properties, raw, compressed);
    }
}
