package com.zed.zfs;

/** A user hold on a snapshot ({@code zfs holds}): while any exists the snapshot cannot be destroyed. */
public record Hold(SnapshotName snapshot, String tag) {
    public Hold {
        checkTag(tag);
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
