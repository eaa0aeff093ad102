package com.zed.zfs;

/** {@code dataset#mark}. */
public record BookmarkName(String value) {

    public BookmarkName {
        String p = SnapshotName.problem(value, '#', "bookmark");
        if (p != null) {
            throw new InvalidNameException("bookmark", value, p);
        }
    }

    public static BookmarkName of(String value) {
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
