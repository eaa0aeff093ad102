package com.zed.zfs;

import java.util.Optional;

/** A filesystem or volume name, {@code pool[/child...]}. */
public record DatasetName(String value) implements Comparable<DatasetName> {

    public DatasetName {
        String p = Names.datasetProblem(value);
        if (p != null) {
            throw new InvalidNameException("dataset", value, p);
        }
    }

    public static DatasetName of(String value) {
        return new DatasetName(value);
    }

    public PoolName pool() {
        int slash = value.indexOf('/');
        return new PoolName(slash < 0 ? value : value.substring(0, slash));
    }

    public boolean isPoolRoot() {
        return value.indexOf('/') < 0;
    }

    public Optional<DatasetName> parent() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? Optional.empty() : Optional.of(new DatasetName(value.substring(0, slash)));
    }

    /** {@code pool/a}.child("b/c") is {@code pool/a/b/c}. */
    public DatasetName child(String relative) {
        return new DatasetName(value + "/" + relative);
    }

    public SnapshotName snapshot(String snap) {
        return new SnapshotName(value + "@" + snap);
    }

    public BookmarkName bookmark(String mark) {
        return new BookmarkName(value + "#" + mark);
    }

    /** True when {@code other} is this dataset or lies below it. */
    public boolean contains(DatasetName other) {
        return other.value.equals(value) || other.value.startsWith(value + "/");
    }

    @Override
    public int compareTo(DatasetName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
