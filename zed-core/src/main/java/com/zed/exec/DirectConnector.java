package com.zed.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Connections straight from this host: the target is this host. */
final class DirectConnector implements Connector {
    static final DirectConnector INSTANCE = new DirectConnector();

    private DirectConnector() {
    }

    @Override
    public Connection open(String host, int port, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), millis(timeout));
            s.setTcpNoDelay(true);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return new Connection() {
            @Override public InputStream input() throws IOException { return s.getInputStream(); }
            @Override public OutputStream output() throws IOException { return s.getOutputStream(); }
            @Override public void readTimeout(Duration t) throws IOException { s.setSoTimeout(millis(t)); }
            @Override public void close() {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
            @Override public String toString() { return "direct " + host + ":" + port; }
        };
    }

    /** Rounded up, at least 1 ms: 0 means "forever" to java.net. */
    static int millis(Duration d) {
        long ms = (Math.max(0, d.toNanos()) + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    @Override
    public String describe() {
        return "direct";
    }
}
