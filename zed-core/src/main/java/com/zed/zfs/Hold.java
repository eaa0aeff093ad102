package com.zed.zfs;

/**
 * A user hold on a snapshot ({@code zfs holds}): while any exists the snapshot cannot be destroyed.
 * A hold read back from zfs may carry any tag zfs accepted (free text); {@link #checkTag} is for tags Zed places.
 */
public record Hold(SnapshotName snapshot, String tag) {
    public Hold {
        if (tag == null || tag.isEmpty() || tag.length() > 255 || tag.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("hold tag must be 1..255 characters without NUL");
        }
    }

    /** Hold tags are free text to ZFS; Zed keeps them to name characters so they survive any shell or log. */
    public static String checkTag(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > 255) {
            throw new IllegalArgumentException("hold tag must be 1..255 characters");
        }
        for (int i = 0; i < tag.length(); i++) {
            if (!Names.componentChar(tag.charAt(i))) {
                throw new IllegalArgumentException("hold tag '" + Names.printable(tag) + "': character "
                        + Names.describe(tag.charAt(i)) + " is not allowed (letters, digits, - _ . : only)");
            }
        }
        if (tag.startsWith("-")) {
            throw new IllegalArgumentException("hold tag must not start with '-'");
        }
        return tag;
    }
}
