package com.zed.zfs;

/** {@code dataset@snap}: exactly one '@', no '/' or '#' after it. */
public record SnapshotName(String value) implements Comparable<SnapshotName> {

    public SnapshotName {
        String p = problem(value, '@', "snapshot");
        if (p != null) {
            throw new InvalidNameException("snapshot", value, p);
        }
    }

    public static SnapshotName of(String value) {
        return new SnapshotName(value);
    }

    public DatasetName dataset() {
        return new DatasetName(value.substring(0, value.indexOf('@')));
    }

    /** The part after '@'. */
    public String shortName() {
        return value.substring(value.indexOf('@') + 1);
    }

    static String problem(String v, char sep, String what) {
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
        String ds = Names.datasetProblem(v.substring(0, at));
        if (ds != null) {
            return "dataset part: " + ds;
        }
        String tail = v.substring(at + 1);
        if (tail.indexOf('/') >= 0) {
            return "'/' is not allowed after '" + sep + "'";
        }
        return Names.componentProblem(tail, what + " part");
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
