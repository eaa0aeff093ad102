package com.zed.zfs;

/**
 * {@code dataset@snap}: exactly one '@', no '/' or '#' after it. The constructor and {@link #read}
 * apply ZFS's rules (spaces allowed, as zfs prints them); {@link #of} applies Zed's (no space).
 */
public record SnapshotName(String value) implements Comparable<SnapshotName> {

    public SnapshotName {
        String p = problem(value, '@', "snapshot", true);
        if (p != null) {
            throw new InvalidNameException("snapshot", value, p);
        }
    }

    /** A snapshot name Zed may create or manage: Zed's rules. */
    public static SnapshotName of(String value) {
        String p = problem(value, '@', "snapshot", false);
        if (p != null) {
            throw new InvalidNameException("snapshot", value, p);
        }
        return new SnapshotName(value);
    }

    /** A snapshot name as zfs printed it: ZFS's rules. */
    public static SnapshotName read(String value) {
        return new SnapshotName(value);
    }

    /** Does this name also pass Zed's rules? */
    public boolean isZedName() {
        return problem(value, '@', "snapshot", false) == null;
    }

    public DatasetName dataset() {
        return new DatasetName(value.substring(0, value.indexOf('@')));
    }

    /** The part after '@'. */
    public String shortName() {
        return value.substring(value.indexOf('@') + 1);
    }

    static String problem(String v, char sep, String what, boolean zfsRules) {
        if (v == null || v.isEmpty()) {
            return "empty";
        }
        if (v.length() > Names.MAX_NAME_LEN) {
            return "longer than " + Names.MAX_NAME_LEN + " characters (" + v.length() + ")";
        }
        int at = v.indexOf(sep);
        if (at < 0) {
            return "a " + what + " name needs '" + sep + "' (dataset" + sep + "name)";
        }
        if (v.indexOf(sep, at + 1) >= 0) {
            return "more than one '" + sep + "'";
        }
        char other = sep == '@' ? '#' : '@';
        if (v.indexOf(other) >= 0) {
            return "'" + other + "' is not allowed in a " + what + " name";
        }
        String ds = Names.datasetProblem(v.substring(0, at), zfsRules);
        if (ds != null) {
            return "dataset part: " + ds;
        }
        String tail = v.substring(at + 1);
        if (tail.indexOf('/') >= 0) {
            return "'/' is not allowed after '" + sep + "'";
        }
        return Names.componentProblem(tail, what + " part", zfsRules);
    }

    @Override
    public int compareTo(SnapshotName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
