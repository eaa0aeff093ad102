package com.zed.replicate;

import com.zed.zfs.DatasetName;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One dataset to replicate.
 *
 * @param source        the dataset on the source host
 * @param target        the dataset on the target host
 * @param targetLabel   the target host as the user named it (ssh alias, user@host[:port], or "local"): names the hold
 * @param raw           {@code zfs send -w}: encrypted blocks as they are on disk
 * @param compressed    {@code zfs send -c}: blocks stay compressed in the stream
 * @param allowRollback a diverged target is rolled back to the common base (its newer snapshots and writes are lost)
 * @param keep          how many snapshots the target keeps (empty: all); the newest common one always stays
 */
public record ReplicationJob(DatasetName source, DatasetName target, String targetLabel, boolean raw, boolean compressed,
                             boolean allowRollback, OptionalInt keep) {
    public ReplicationJob {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetLabel, "targetLabel");
        Objects.requireNonNull(keep, "keep");
        if (keep.isPresent() && keep.getAsInt() < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep.getAsInt());
        }
    }

    public static final String HOLD_PREFIX = "zed-repl:";

    /**
     * The hold tag zed puts on the source's base snapshot for this target: {@code zed-repl:<host>:<dataset>}
     * with every character a hold tag may not carry replaced by {@code _} (so two targets hold independently).
     */
    public String holdTag() {
        String raw = HOLD_PREFIX + targetLabel + ":" + target.value();
        var sb = new StringBuilder(raw.length());
        for (char c : raw.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.' || c == ':' ? c : '_');
        }
        return sb.length() > 255 ? sb.substring(0, 255) : sb.toString();
    }
}
