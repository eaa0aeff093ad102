package com.zed.exec;

import java.io.InputStream;
import java.io.OutputStream;

/** A started command: its three streams and its exit status. */
public interface Execution extends AutoCloseable {

    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    /** Waits for the command to end and returns its exit code. */
    int waitFor() throws InterruptedException;

    /** Stops the command if it still runs. */
    void kill();

    /** Releases resources; kills the command if it still runs. */
    @Override
    void close();
}
