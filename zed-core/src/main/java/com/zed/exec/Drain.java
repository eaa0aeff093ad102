package com.zed.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a stream to its end on a daemon thread and keeps what arrived — a process's stderr must be
 * drained while its stdout is read, or a full pipe blocks it.
 */
public final class Drain {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Thread thread;

    private Drain(InputStream in, String name) {
        thread = new Thread(() -> {
            try {
                in.transferTo(buf);
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
        return buf.toString(StandardCharsets.UTF_8);
    }
}
