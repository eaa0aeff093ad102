package com.zed.zfs;

/** A pool, dataset, snapshot, bookmark or property name that ZFS (or Zed) would not accept. */
public class InvalidNameException extends IllegalArgumentException {
    private final String kind;
    private final String name;

    public InvalidNameException(String kind, String name, String reason) {
        super("invalid " + kind + " name '" + Names.printable(name) + "': " + reason);
        this.kind = kind;
        this.name = name;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }
}
