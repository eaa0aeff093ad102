package com.zed.replicate;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of one stream, printed as one line every {@code interval} (and once at the end): bytes moved,
 * of the {@code zfs send -nP} estimate, rate and ETA. The clock is injected (nanoseconds), so specs
 * drive it by hand.
 */
public final class Progress {
    private final PrintStream out;
    private final LongSupplier nanos;
    private final long intervalNanos;
    private final String label;
    private volatile long estimate;
    private final long start;
    private long lastPrint;
    private long bytes;

    public Progress(PrintStream out, LongSupplier nanos, long intervalNanos, String label, long estimate) {
        this.out = out;
        this.nanos = nanos;
        this.intervalNanos = intervalNanos;
        this.label = label;
        this.estimate = estimate;
        this.start = nanos.getAsLong();
        this.lastPrint = start;
    }

    /** The {@code zfs send -nP} estimate, when it arrives after the stream started (0: none). */
    public void estimate(long bytes) {
        this.estimate = bytes;
    }

    /** A progress that prints nothing. */
    public static Progress silent() {
        return new Progress(null, () -> 0L, Long.MAX_VALUE, "", 0);
    }

    /** Counts {@code n} more bytes; prints when an interval has passed since the last line. */
    public void add(long n) {
        bytes += n;
        if (out == null) {
            return;
        }
        long now = nanos.getAsLong();
        if (now - lastPrint >= intervalNanos) {
            lastPrint = now;
            out.println(line(now));
        }
    }

    /** The last line, when the stream ended. */
    public void finish() {
        if (out != null) {
            out.println(line(nanos.getAsLong()) + " done");
        }
    }

    public long bytes() {
        return bytes;
    }

    /** Bytes per second so far (0 before any time has passed). */
    public long rate(long now) {
        long dt = now - start;
        return dt <= 0 ? 0 : (long) (bytes * 1e9 / dt);
    }

    String line(long now) {
        long rate = rate(now);
        var sb = new StringBuilder(label).append(": ").append(size(bytes));
        if (estimate > 0) {
            sb.append(" of ~").append(size(estimate))
                    .append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, bytes * 100 / estimate)));
        }
        sb.append(", ").append(size(rate)).append("/s");
        if (estimate > 0 && rate > 0 && bytes < estimate) {
            sb.append(", ETA ").append(duration((estimate - bytes) / rate));
        }
        return sb.toString();
    }

    static String size(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60)
                : seconds + "s";
    }
}
