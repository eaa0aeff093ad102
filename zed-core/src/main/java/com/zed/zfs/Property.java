package com.zed.zfs;

/** One row of {@code zfs get}: a property's raw value (as {@code -p} prints it) and its source. */
public record Property(PropertyName name, String value, PropertySource source) {

    /** {@code -} is how ZFS prints "no value" (unset user property, n/a native one). */
    public boolean hasValue() {
        return !value.equals("-");
    }
}
