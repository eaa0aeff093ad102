package com.zed.zfs;

import java.util.List;

/**
 * A pool name: starts with a letter; not a reserved vdev word. The constructor applies ZFS's rules
 * (a space is allowed: pools read back from zfs); {@link #of} applies Zed's (no space).
 */
public record PoolName(String value) {
    private static final List<String> RESERVED_PREFIXES = List.of("mirror", "raidz", "draid", "spare");

    public PoolName {
        String p = problem(value, true);
        if (p != null) {
            throw new InvalidNameException("pool", value, p);
        }
    }

    /** A pool name Zed may use: Zed's rules (no space). */
    public static PoolName of(String value) {
        String p = problem(value, false);
        if (p != null) {
            throw new InvalidNameException("pool", value, p);
        }
        return new PoolName(value);
    }

    /** A pool name as zfs printed it: ZFS's rules. */
    public static PoolName read(String value) {
        return new PoolName(value);
    }

    /** The pool's root dataset. */
    public DatasetName root() {
        return new DatasetName(value);
    }

    static String problem(String v, boolean zfsRules) {
        if (v == null || v.isEmpty()) {
            return "empty pool name";
        }
        if (v.length() > Names.MAX_NAME_LEN) {
            return "longer than " + Names.MAX_NAME_LEN + " characters";
        }
        char first = v.charAt(0);
        if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
            return "a pool name must begin with a letter, not " + Names.describe(first);
        }
        String c = Names.componentProblem(v, "pool name", zfsRules);
        if (c != null) {
            return c;
        }
        if (v.equals("log")) {
            return "'log' is reserved";
        }
        for (String r : RESERVED_PREFIXES) {
            if (v.startsWith(r)) {
                return "a pool name cannot begin with the reserved word '" + r + "'";
            }
        }
        if (v.length() >= 2 && v.charAt(0) == 'c' && Character.isDigit(v.charAt(1))) {
            return "a pool name cannot look like a device name (c[0-9]...)";
        }
        return null;
    }

    @Override
    public String toString() {
        return value;
    }
}
