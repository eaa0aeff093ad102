package com.zed.replicate;

import java.util.Objects;

/**
 * A snapshot or bookmark as replication sees it: its full name ({@code pool/fs@snap} or {@code pool/fs#mark}),
 * its {@code guid} (the identity that survives send/receive; names do not) and its {@code createtxg}
 * (the order on its own pool only).
 */
public record Point(String name, String guid, long createTxg) {
    public Point {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(guid, "guid");
        if (guid.isEmpty()) {
            throw new IllegalArgumentException("empty guid for " + name);
        }
    }

    public boolean isBookmark() {
        return name.indexOf('#') >= 0;
    }

    /** The part after {@code @} or {@code #}. */
    public String shortName() {
        int i = Math.max(name.indexOf('@'), name.indexOf('#'));
        return i < 0 ? name : name.substring(i + 1);
    }

    @Override
    public String toString() {
        return name;
    }
}
