package com.zed.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream to its end on a daemon thread and keeps what arrived — a process's stderr must be
 * drained while its stdout is read, or a full pipe blocks it.
 */
public final class Drain {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Thread thread;

    private Drain(InputStream in, String name) {
        thread = new Thread(() -> {
            byte[] chunk = new byte[8192];
            try {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buf) {
                        buf.write(chunk, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process went away; whatever arrived is kept
            }
        }, name);
        thread.setDaemon(true);
    }

    public static Drain start(InputStream in, String name) {
        var d = new Drain(in, name);
        d.thread.start();
        return d;
    }

    /** Waits for the end of the stream and returns it as UTF-8. */
    public String text() throws InterruptedException {
        thread.join();
        return textSoFar();
    }

    /** Waits at most {@code nanos} for the end of the stream; true when it ended. */
    public boolean await(long nanos) throws InterruptedException {
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
        }
        return !thread.isAlive();
    }

    /** What arrived so far, as UTF-8, without waiting. */
    public String textSoFar() {
        synchronized (buf) {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
