package com.zed.zfs;

import java.util.Optional;

/**
 * Where a property value comes from, as the SOURCE column of {@code zfs get} says:
 * {@code local}, {@code default}, {@code inherited from X}, {@code received}, {@code temporary},
 * or {@code -} (read-only or no source).
 */
public record PropertySource(Kind kind, Optional<String> inheritedFrom) {
    public enum Kind { LOCAL, DEFAULT, INHERITED, RECEIVED, TEMPORARY, NONE }

    public static final PropertySource LOCAL = new PropertySource(Kind.LOCAL, Optional.empty());
    public static final PropertySource DEFAULT = new PropertySource(Kind.DEFAULT, Optional.empty());
    public static final PropertySource RECEIVED = new PropertySource(Kind.RECEIVED, Optional.empty());
    public static final PropertySource TEMPORARY = new PropertySource(Kind.TEMPORARY, Optional.empty());
    public static final PropertySource NONE = new PropertySource(Kind.NONE, Optional.empty());
    private static final String INHERITED_PREFIX = "inherited from ";

    public static PropertySource inherited(String from) {
        return new PropertySource(Kind.INHERITED, Optional.of(from));
    }

    public static PropertySource parse(String s) {
        switch (s) {
            case "local": return LOCAL;
            case "default": return DEFAULT;
            case "received": return RECEIVED;
            case "temporary": return TEMPORARY;
            case "-": case "": case "none": return NONE;
            default:
                if (s.startsWith(INHERITED_PREFIX)) {
                    return inherited(s.substring(INHERITED_PREFIX.length()));
                }
                throw new ZfsParseException("unknown property source '" + s + "'");
        }
    }

    /** Set on this dataset itself (locally or by a receive), as opposed to inherited or default. */
    public boolean isExplicit() {
        return kind == Kind.LOCAL || kind == Kind.RECEIVED;
    }

    @Override
    public String toString() {
        return kind == Kind.INHERITED ? INHERITED_PREFIX + inheritedFrom.orElse("?") : kind.name().toLowerCase();
    }
}
