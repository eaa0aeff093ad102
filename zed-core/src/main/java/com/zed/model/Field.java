package com.zed.model;

import java.util.Objects;

/**
 * Which setting of a model element a {@link Problem} (or a recorded position) is about, as
 * structured parts rather than text: the {@code setting} (a verb, {@code health}), the {@code key}
 * of one among many ({@code 2} for the second health check, {@code PORT} for one environment
 * variable) and the {@code argument} within it ({@code expect}, {@code value}). Rendered as a path:
 * {@code health[2].expect}, {@code environment[PORT].value}, {@code quota}.
 *
 * <p>Keys of repeated verbs ({@code health}, {@code preCommand}, {@code host}) count from 1, in
 * script order; positional arguments are {@code arg1}, {@code arg2}, ... unless they have a name.
 */
public record Field(String setting, String key, String argument) {
    public static final Field NONE = new Field("", null, null);

    public Field {
        Objects.requireNonNull(setting, "setting");
    }

    public static Field of(String setting) {
        return new Field(setting, null, null);
    }

    public static Field of(String setting, String key) {
        return new Field(setting, key, null);
    }

    public static Field of(String setting, int nth) {
        return new Field(setting, Integer.toString(nth), null);
    }

    public Field arg(String argument) {
        return new Field(setting, key, argument);
    }

    /** Without the argument, then without the key: where to look when this exact field has no position. */
    public Field parent() {
        return argument != null ? new Field(setting, key, null) : key != null ? of(setting) : this;
    }

    public boolean isNone() {
        return setting.isEmpty();
    }

    @Override
    public String toString() {
        return setting + (key == null ? "" : "[" + key + "]") + (argument == null ? "" : "." + argument);
    }
}
