package com.zed.zfs;

/**
 * ZFS naming rules, as OpenZFS's namecheck applies them, in two strengths:
 * <ul>
 * <li><b>ZFS rules</b> ({@code zfsRules = true}) — exactly what zfs accepts: letters, digits,
 *     {@code - _ . :} and space. Every name <em>read back</em> from zfs passes them, so a foreign
 *     {@code jeff/x@my snap} never breaks a listing.</li>
 * <li><b>Zed rules</b> — ZFS rules minus the space: such names are a trap in every script and log,
 *     so Zed never <em>creates</em> one ({@code of(...)} factories, create/snapshot/clone/rename targets).</li>
 * </ul>
 * ({@code %} also passes the kernel's check, but only hidden datasets such as {@code %recv} carry it
 * and zfs never lists them, so neither strength accepts it.)
 */
final class Names {
    /** ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL. */
    static final int MAX_NAME_LEN = 255;
    /** ZAP_MAXNAMELEN for user property names, excluding NUL. */
    static final int MAX_USER_PROP_LEN = 255;
    /** ZFS_MAXPROPLEN for user property values. */
    static final int MAX_USER_VALUE_LEN = 8191;

    private Names() {
    }

    static boolean componentChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == ':';
    }

    /** OpenZFS's valid_char(): Zed's set plus the space. */
    static boolean zfsChar(char c) {
        return componentChar(c) || c == ' ';
    }

    /** Checks one component (between slashes, or after @ / #) with Zed's rules; returns a reason or null. */
    static String componentProblem(String comp, String what) {
        return componentProblem(comp, what, false);
    }

    static String componentProblem(String comp, String what, boolean zfsRules) {
        if (comp.isEmpty()) {
            return "empty " + what;
        }
        if (comp.equals(".") || comp.equals("..")) {
            return what + " cannot be '" + comp + "'";
        }
        for (int i = 0; i < comp.length(); i++) {
            char c = comp.charAt(i);
            if (!(zfsRules ? zfsChar(c) : componentChar(c))) {
                return "character " + describe(c) + " at position " + (i + 1) + " of " + what + " '"
                        + printable(comp) + "' is not allowed (letters, digits, - _ . :"
                        + (zfsRules ? " and space" : "") + " only)";
            }
        }
        return null;
    }

    static String describe(char c) {
        if (c == ' ') {
            return "' ' (space)";
        }
        if (c < 0x20 || c == 0x7f) {
            return String.format("U+%04X (control)", (int) c);
        }
        if (c > 0x7e) {
            return String.format("'%c' (U+%04X)", c, (int) c);
        }
        return "'" + c + "'";
    }

    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        var b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > 80) {
            b.append("…(").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    /** Validates a slash-separated dataset path (pool first) with Zed's rules; returns a reason or null. */
    static String datasetProblem(String name) {
        return datasetProblem(name, false);
    }

    static String datasetProblem(String name, boolean zfsRules) {
        if (name == null || name.isEmpty()) {
            return "empty";
        }
        if (name.length() > MAX_NAME_LEN) {
            return "longer than " + MAX_NAME_LEN + " characters (" + name.length() + ")";
        }
        if (name.indexOf('@') >= 0) {
            return "'@' belongs only in snapshot names";
        }
        if (name.indexOf('#') >= 0) {
            return "'#' belongs only in bookmark names";
        }
        if (name.startsWith("/")) {
            return "must not start with '/' (a dataset name starts with its pool, not a mountpoint)";
        }
        if (name.endsWith("/")) {
            return "must not end with '/'";
        }
        String[] parts = name.split("/", -1);
        String pool = PoolName.problem(parts[0], zfsRules);
        if (pool != null) {
            return pool;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = componentProblem(parts[i], "component " + (i + 1), zfsRules);
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
