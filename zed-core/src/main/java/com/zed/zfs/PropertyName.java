package com.zed.zfs;

/**
 * A ZFS property name. User properties contain ':' and use lowercase letters, digits and
 * {@code - _ . :}; Zed keeps its state under {@value #ZED_NAMESPACE}. Native properties are
 * lowercase words (the kernel rejects unknown ones; we only refuse what could never be one).
 */
public record PropertyName(String value) implements Comparable<PropertyName> {
    public static final String ZED_NAMESPACE = "com.zed:";

    /** ZFS's rules (any property zfs can print, e.g. a foreign {@code :odd} user property). */
    public PropertyName {
        String p = problem(value, true);
        if (p != null) {
            throw new InvalidNameException("property", value, p);
        }
    }

    /** A property Zed may set or ask for: Zed's rules (also no leading '-' or ':'). */
    public static PropertyName of(String value) {
        String p = problem(value, false);
        if (p != null) {
            throw new InvalidNameException("property", value, p);
        }
        return new PropertyName(value);
    }

    /** A property name as zfs printed it: ZFS's rules. */
    public static PropertyName read(String value) {
        return new PropertyName(value);
    }

    /** {@code com.zed:<key>}. */
    public static PropertyName zed(String key) {
        return new PropertyName(ZED_NAMESPACE + key);
    }

    public boolean isUser() {
        return value.indexOf(':') >= 0;
    }

    public boolean isZed() {
        return value.startsWith(ZED_NAMESPACE);
    }

    /** Checks a value ZFS would store for this property; returns a reason or null. */
    public String valueProblem(String v) {
        if (v == null) {
            return "no value";
        }
        if (isUser() && v.length() > Names.MAX_USER_VALUE_LEN) {
            return "user property values are limited to " + Names.MAX_USER_VALUE_LEN + " characters";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            // Tabs and newlines would corrupt `zfs get -H` output, which Zed parses.
            if (c < 0x20 || c == 0x7f) {
                return "control character " + Names.describe(c) + " in value";
            }
        }
        return null;
    }

    /** Throws {@link InvalidNameException} for a value that cannot be stored safely. */
    public String checkValue(String v) {
        String p = valueProblem(v);
        if (p != null) {
            throw new IllegalArgumentException("invalid value for property " + value + ": " + p);
        }
        return v;
    }

    /**
     * ZFS (zfs_prop_user): a user property has a ':' and only lowercase letters, digits, {@code - _ . :};
     * natives are lowercase words. Zed additionally refuses a leading '-' (it would read as an option)
     * and a leading ':' (no module).
     */
    static String problem(String v, boolean zfsRules) {
        if (v == null || v.isEmpty()) {
            return "empty";
        }
        if (v.length() > Names.MAX_USER_PROP_LEN) {
            return "longer than " + Names.MAX_USER_PROP_LEN + " characters";
        }
        if (!zfsRules && v.startsWith("-")) {
            return "must not start with '-'";
        }
        boolean user = v.indexOf(':') >= 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
                    || (user && (c == '-' || c == '.' || c == ':'));
            if (!ok) {
                return "character " + Names.describe(c) + " is not allowed in a "
                        + (user ? "user property name (lowercase letters, digits, - _ . : only)"
                                : "native property name (lowercase letters, digits, _ only; user properties need ':')");
            }
        }
        if (!zfsRules && user && v.startsWith(":")) {
            return "a user property needs a module before ':' (e.g. com.zed:version)";
        }
        return null;
    }

    @Override
    public int compareTo(PropertyName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
