package com.zed.zfs;

/** {@code dataset#mark}. Constructor and {@link #read}: ZFS's rules; {@link #of}: Zed's (no space). */
public record BookmarkName(String value) {

    public BookmarkName {
        String p = SnapshotName.problem(value, '#', "bookmark", true);
        if (p != null) {
            throw new InvalidNameException("bookmark", value, p);
        }
    }

    public static BookmarkName of(String value) {
        String p = SnapshotName.problem(value, '#', "bookmark", false);
        if (p != null) {
            throw new InvalidNameException("bookmark", value, p);
        }
        return new BookmarkName(value);
    }

    /** A bookmark name as zfs printed it: ZFS's rules. */
    public static BookmarkName read(String value) {
        return new BookmarkName(value);
    }

    public DatasetName dataset() {
        return new DatasetName(value.substring(0, value.indexOf('#')));
    }

    @Override
    public String toString() {
        return value;
    }
}
