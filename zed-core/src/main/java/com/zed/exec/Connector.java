package com.zed.exec;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Opens TCP connections from a target's point of view. For this host: plain sockets
 * ({@link #direct()}). For a host reached over SSH: {@code direct-tcpip} channels on the session the
 * {@link SshRunner} already holds, opened by the target's sshd, so {@code 127.0.0.1} means the
 * target's loopback and no app port has to be reachable from the machine running Zed.
 *
 * <p>Failures are reported with {@code java.net} exception types, so callers tell them apart the
 * same way for both: {@link java.net.ConnectException} (refused; message {@code Connection refused}),
 * {@link java.net.SocketTimeoutException} (no answer in time, on connect or on a read),
 * {@link java.net.UnknownHostException}, and plain {@link IOException} for the rest.
 */
public interface Connector {

    /**
     * Connects to {@code host:port} as seen from the target, within {@code timeout}.
     *
     * @throws java.net.ConnectException        nothing listens there (or the target's sshd could not connect)
     * @throws java.net.SocketTimeoutException  no connection within {@code timeout}
     * @throws IOException                      anything else, e.g. the SSH session is down
     */
    Connection open(String host, int port, Duration timeout) throws IOException;

    /** {@code direct} or {@code ssh root@host:port}: where connections start, for messages. */
    String describe();

    /** Plain sockets from this host. */
    static Connector direct() {
        return DirectConnector.INSTANCE;
    }

    /** One open connection: a byte stream each way. Closing it (from any thread) ends blocked reads. */
    interface Connection extends Closeable {

        InputStream input() throws IOException;

        OutputStream output() throws IOException;

        /**
         * Bounds every later read: a read that gets no byte within {@code timeout} throws
         * {@link java.net.SocketTimeoutException}. Zero or negative means 1 ms, never "forever".
         */
        void readTimeout(Duration timeout) throws IOException;

        @Override
        void close();
    }
}
