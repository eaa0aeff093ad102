package com.zed.zfs;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What ZFS accepts for the native properties Zed sets, and the canonical form of a value as
 * {@code zfs get -p} prints it — so that "1024M" and "1048576K" compare equal, "none" equals the
 * {@code 0} that -p prints for an unset quota, and "/opt/app/" equals "/opt/app". Comparing
 * canonical forms is what keeps a plan free of false changes and of missed ones.
 */
public final class PropertyValues {

    enum Kind { SIZE, SIZE_OR_NONE, BLOCKSIZE, ON_OFF, ENUM, MOUNTPOINT, COUNT_OR_NONE, TEXT }

    private record Rule(Kind kind, Set<String> values) { }

    private static final Map<String, Rule> RULES = new HashMap<>();
    private static final Pattern SIZE = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*([KMGTPE]?)(?:I?B)?");
    private static final List<String> UNITS = List.of("", "K", "M", "G", "T", "P", "E");

    static {
        for (String p : List.of("quota", "refquota", "reservation", "refreservation")) {
            rule(p, Kind.SIZE_OR_NONE);
        }
        rule("special_small_blocks", Kind.SIZE);
        rule("recordsize", Kind.BLOCKSIZE);
        for (String p : List.of("atime", "relatime", "readonly", "exec", "setuid", "devices", "overlay", "zoned",
                "vscan", "nbmand")) {
            rule(p, Kind.ON_OFF);
        }
        var compression = new java.util.TreeSet<>(List.of("on", "off", "lzjb", "gzip", "zle", "lz4", "zstd", "zstd-fast"));
        for (int i = 1; i <= 9; i++) {
            compression.add("gzip-" + i);
        }
        for (int i = 1; i <= 19; i++) {
            compression.add("zstd-" + i);
        }
        for (int i : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 500, 1000}) {
            compression.add("zstd-fast-" + i);
        }
        rule("compression", Kind.ENUM, compression.toArray(String[]::new));
        rule("checksum", Kind.ENUM, "on", "off", "fletcher2", "fletcher4", "sha256", "noparity", "sha512", "skein",
                "edonr", "blake3");
        rule("sync", Kind.ENUM, "standard", "always", "disabled");
        rule("logbias", Kind.ENUM, "latency", "throughput");
        rule("primarycache", Kind.ENUM, "all", "none", "metadata");
        rule("secondarycache", Kind.ENUM, "all", "none", "metadata");
        rule("canmount", Kind.ENUM, "on", "off", "noauto");
        rule("snapdir", Kind.ENUM, "hidden", "visible");
        rule("xattr", Kind.ENUM, "on", "off", "sa", "dir");
        rule("acltype", Kind.ENUM, "off", "noacl", "nfsv4", "posix", "posixacl");
        rule("aclinherit", Kind.ENUM, "discard", "noallow", "restricted", "passthrough", "passthrough-x");
        rule("aclmode", Kind.ENUM, "discard", "groupmask", "passthrough", "restricted");
        rule("dedup", Kind.ENUM, "on", "off", "verify", "sha256", "sha256,verify", "sha512", "sha512,verify",
                "skein", "skein,verify", "edonr,verify", "blake3", "blake3,verify");
        rule("copies", Kind.ENUM, "1", "2", "3");
        rule("redundant_metadata", Kind.ENUM, "all", "most", "some", "none");
        rule("dnodesize", Kind.ENUM, "legacy", "auto", "1k", "2k", "4k", "8k", "16k");
        rule("mountpoint", Kind.MOUNTPOINT);
        rule("filesystem_limit", Kind.COUNT_OR_NONE);
        rule("snapshot_limit", Kind.COUNT_OR_NONE);
        rule("sharenfs", Kind.TEXT);
        rule("sharesmb", Kind.TEXT);
    }

    /** Properties {@code zfs inherit} refuses; "unset" for them is a value (none / on). */
    private static final Map<String, String> NOT_INHERITABLE = Map.of(
            "quota", "none", "refquota", "none", "reservation", "none", "refreservation", "none",
            "filesystem_limit", "none", "snapshot_limit", "none", "canmount", "on");

    private PropertyValues() {
    }

    /** Can {@code zfs inherit} clear this property? User properties: yes. */
    public static boolean inheritable(PropertyName prop) {
        return prop.isUser() || !NOT_INHERITABLE.containsKey(prop.value());
    }

    /**
     * The value that restores a property that cannot be inherited to how it was, given what
     * {@code zfs get -p} printed ({@code 0} for an unset quota becomes {@code none}).
     */
    public static String restoreValue(PropertyName prop, String printed) {
        Rule r = RULES.get(prop.value());
        if (printed == null || !printed.matches(".*\\S.*") || printed.equals("-")) {
            return NOT_INHERITABLE.getOrDefault(prop.value(), printed);
        }
        if (r != null && (r.kind == Kind.SIZE_OR_NONE) && printed.equals("0")) {
            return "none";
        }
        return printed;
    }

    private static void rule(String name, Kind kind, String... values) {
        RULES.put(name, new Rule(kind, Set.of(values)));
    }

    /** Native properties Zed knows how to check and compare. */
    public static Set<String> settableNative() {
        return java.util.Collections.unmodifiableSet(RULES.keySet());
    }

    /** Why {@code value} is not acceptable for {@code prop}, or null when it is. */
    public static String problem(PropertyName prop, String value) {
        String generic = prop.valueProblem(value);
        if (generic != null) {
            return generic;
        }
        if (prop.isUser()) {
            return null;
        }
        Rule r = RULES.get(prop.value());
        if (r == null) {
            return "'" + prop + "' is not a native property Zed can set (known: "
                    + String.join(", ", new java.util.TreeSet<>(RULES.keySet())) + "); user properties need a ':'";
        }
        String v = value.trim();
        switch (r.kind) {
            case SIZE, SIZE_OR_NONE -> {
                if (r.kind == Kind.SIZE_OR_NONE && v.equalsIgnoreCase("none")) {
                    return null;
                }
                if (bytes(v) != null) {
                    return null;
                }
                return tooLarge(v) ? "'" + value + "' is too large: Zed handles sizes up to 8E - 1 byte (2^63 - 1)"
                        : "'" + value + "' is not a size (e.g. 512, 64K, 10G" + (r.kind == Kind.SIZE_OR_NONE ? ", none" : "") + ")";
            }
            case BLOCKSIZE -> {
                Long b = bytes(v);
                if (b == null || b < 512 || b > 16L * 1024 * 1024 || Long.bitCount(b) != 1) {
                    return "'" + value + "' is not a power of two from 512 to 16M";
                }
                return null;
            }
            case ON_OFF -> {
                return onOff(v) == null ? "'" + value + "' must be on or off" : null;
            }
            case ENUM -> {
                return r.values.contains(v.toLowerCase(Locale.ROOT)) ? null
                        : "'" + value + "' must be one of " + String.join(", ", new java.util.TreeSet<>(r.values));
            }
            case MOUNTPOINT -> {
                if (v.equals("none") || v.equals("legacy") || v.startsWith("/")) {
                    return null;
                }
                return "'" + value + "' must be an absolute path, none or legacy";
            }
            case COUNT_OR_NONE -> {
                return v.equals("none") || v.matches("\\d+") ? null : "'" + value + "' must be a number or none";
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * The canonical form of a value: as {@code zfs get -p} prints it where Zed can compute that
     * (sizes in bytes, none→0 for quotas, on/off for booleans, lower case enums, no trailing slash).
     */
    public static String canonical(PropertyName prop, String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (prop.isUser()) {
            return value;
        }
        Rule r = RULES.get(prop.value());
        if (r == null) {
            return v;
        }
        switch (r.kind) {
            case SIZE_OR_NONE -> {
                if (v.equalsIgnoreCase("none")) {
                    return "0";
                }
                Long b = bytes(v);
                return b == null ? v : Long.toString(b);
            }
            case SIZE, BLOCKSIZE -> {
                Long b = bytes(v);
                return b == null ? v : Long.toString(b);
            }
            case ON_OFF -> {
                String o = onOff(v);
                return o == null ? v : o;
            }
            case ENUM -> {
                return v.toLowerCase(Locale.ROOT);
            }
            case MOUNTPOINT -> {
                return v.length() > 1 && v.endsWith("/") ? v.replaceAll("/+$", "") : v;
            }
            default -> {
                return v;
            }
        }
    }

    /** Do two values mean the same to ZFS? */
    public static boolean same(PropertyName prop, String a, String b) {
        return java.util.Objects.equals(canonical(prop, a), canonical(prop, b));
    }

    /**
     * Is {@code value} a size of the right form ({@code 9E}) that a long cannot hold? Such a size is a
     * problem of its own: {@code zfs get -p} prints sizes as numbers Zed compares as longs.
     */
    public static boolean overflows(PropertyName prop, String value) {
        Rule r = prop.isUser() ? null : RULES.get(prop.value());
        return r != null && (r.kind == Kind.SIZE || r.kind == Kind.SIZE_OR_NONE) && value != null && tooLarge(value.trim());
    }

    private static boolean tooLarge(String v) {
        return SIZE.matcher(v).matches() && bytes(v) == null;
    }

    /** {@code 10G} → 10737418240; null when not a size or too large for a long. Fractions round down, like zfs's nicestrtonum. */
    static Long bytes(String v) {
        var m = SIZE.matcher(v.trim());
        if (!m.matches()) {
            return null;
        }
        int exp = UNITS.indexOf(m.group(2).toUpperCase(Locale.ROOT));
        BigDecimal n = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(exp))
                .setScale(0, java.math.RoundingMode.DOWN);
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            return null; // beyond 2^63 - 1: longValue() would wrap to a negative number
        }
    }

    private static String onOff(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> "on";
            case "off", "false", "no" -> "off";
            default -> null;
        };
    }
}
