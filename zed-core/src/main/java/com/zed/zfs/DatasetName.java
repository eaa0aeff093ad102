package com.zed.zfs;

import java.util.Optional;

/**
 * A filesystem or volume name, {@code pool[/child...]}. The constructor and {@link #read} accept
 * exactly what ZFS accepts (names read back from zfs never fail); {@link #of} and the parts added by
 * {@link #child}, {@link #snapshot} and {@link #bookmark} follow Zed's stricter rules (no space),
 * because those are names Zed chooses.
 */
public record DatasetName(String value) implements Comparable<DatasetName> {

    public DatasetName {
        String p = Names.datasetProblem(value, true);
        if (p != null) {
            throw new InvalidNameException("dataset", value, p);
        }
    }

    /** A name Zed may create or manage: Zed's rules. */
    public static DatasetName of(String value) {
        String p = Names.datasetProblem(value, false);
        if (p != null) {
            throw new InvalidNameException("dataset", value, p);
        }
        return new DatasetName(value);
    }

    /** A name as zfs printed it: ZFS's rules (spaces allowed). */
    public static DatasetName read(String value) {
        return new DatasetName(value);
    }

    /** Does this name also pass Zed's rules (could Zed have created it)? */
    public boolean isZedName() {
        return Names.datasetProblem(value, false) == null;
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
        var full = new DatasetName(value + "/" + relative);
        // The parts added are Zed's choice: its rules, numbered as components of the full name.
        String[] parts = full.value.split("/", -1);
        for (int i = value.split("/", -1).length; i < parts.length; i++) {
            String p = Names.componentProblem(parts[i], "component " + (i + 1));
            if (p != null) {
                throw new InvalidNameException("dataset", full.value, p);
            }
        }
        return full;
    }

    public SnapshotName snapshot(String snap) {
        String p = snap == null ? "empty" : Names.componentProblem(snap, "snapshot part");
        if (p != null) {
            throw new InvalidNameException("snapshot", value + "@" + snap, p);
        }
        return new SnapshotName(value + "@" + snap);
    }

    public BookmarkName bookmark(String mark) {
        String p = mark == null ? "empty" : Names.componentProblem(mark, "bookmark part");
        if (p != null) {
            throw new InvalidNameException("bookmark", value + "#" + mark, p);
        }
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
