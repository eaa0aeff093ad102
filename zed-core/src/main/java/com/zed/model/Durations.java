package com.zed.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as a deploy script writes them: a whole number and a unit, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
public final class Durations {
    private static final Pattern TEXT = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /** True when {@code text} has the form of a duration, whatever its size. */
    public static boolean wellFormed(String text) {
        return text != null && TEXT.matcher(text).matches();
    }

    /**
     * The duration {@code text} names.
     *
     * @throws IllegalArgumentException when it is not of the form {@code <digits><ms|s|m|h>}
     * @throws ArithmeticException      when it is too large for a {@link Duration}
     */
    public static Duration parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 30s, 5m, 1h)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new ArithmeticException("'" + text + "' is too large");
        }
        try {
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            d.toMillis(); // whoever waits for it counts in milliseconds
            return d;
        } catch (ArithmeticException e) {
            throw new ArithmeticException("'" + text + "' is too large");
        }
    }

    /** The shortest script form: 30s, 5m, 1500ms. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
