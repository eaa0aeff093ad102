package com.zed.beam;

import com.zed.exec.Connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;

/**
 * A {@link Connector.Connection} dressed as a connected {@link Socket}, only so that JSSE can layer
 * TLS on it ({@code SSLSocketFactory.createSocket(Socket, host, port, autoClose)}): streams, read
 * timeout and close go to the connection; nothing else is used.
 */
final class ConnectionSocket extends Socket {
    private final Connector.Connection c;
    private int timeoutMillis;
    private volatile boolean closed;

    ConnectionSocket(Connector.Connection c) {
        this.c = c;
    }

    @Override public boolean isConnected() { return true; }
    @Override public boolean isClosed() { return closed; }
    @Override public InputStream getInputStream() throws IOException { return c.input(); }
    @Override public OutputStream getOutputStream() throws IOException { return c.output(); }

    @Override
    public synchronized void setSoTimeout(int timeout) throws java.net.SocketException {
        timeoutMillis = timeout;
        try {
            c.readTimeout(timeout == 0 ? Duration.ofDays(1) : Duration.ofMillis(timeout));
        } catch (IOException e) {
            throw new java.net.SocketException(e.getMessage());
        }
    }

    @Override public synchronized int getSoTimeout() { return timeoutMillis; }

    @Override
    public synchronized void close() {
        closed = true;
        c.close();
    }
}
