package com.zed.exec;

import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Connections opened by the target's sshd: one {@code direct-tcpip} channel per connection on the
 * {@link SshRunner}'s session (the same one its commands use). The channel's incoming data goes into
 * an {@link Inbox} whose reads honour a timeout, so a silent peer or a dead channel cannot block a
 * reader past its bound; closing the connection ends blocked reads at once.
 */
final class SshConnector implements Connector {

    // RFC 4254 section 5.1 reason codes of SSH_MSG_CHANNEL_OPEN_FAILURE.
    private static final int ADMINISTRATIVELY_PROHIBITED = 1;
    private static final int CONNECT_FAILED = 2;

    private final SshRunner runner;

    SshConnector(SshRunner runner) {
        this.runner = runner;
    }

    @Override
    public Connection open(String host, int port, Duration timeout) throws IOException {
        long t0 = System.nanoTime();
        Session session;
        try {
            session = runner.session();
        } catch (SshRunner.SshException e) {
            throw new IOException(e.getMessage(), e);
        }
        int ms = DirectConnector.millis(timeout.minusNanos(System.nanoTime() - t0));
        ChannelDirectTCPIP ch;
        try {
            ch = (ChannelDirectTCPIP) session.openChannel("direct-tcpip");
        } catch (JSchException e) {
            throw new IOException("cannot open a channel on " + describe() + ": " + e.getMessage(), e);
        }
        ch.setHost(host);
        ch.setPort(port);
        Inbox inbox = new Inbox();
        ch.setOutputStream(inbox.sink()); // JSch writes what arrives here, and closes it at EOF
        OutputStream out = ch.getOutputStream();
        try {
            ch.connect(ms);
        } catch (JSchException e) {
            ch.disconnect();
            throw openFailure(host, port, ch.getExitStatus(), ms, e);
        }
        return new SshConnection(ch, inbox, out, host + ":" + port + " via " + describe());
    }

    /** JSch keeps only the reason code of a refused channel (or -1 when none came in time). */
    private IOException openFailure(String host, int port, int reason, int ms, JSchException e) {
        String where = host + ":" + port;
        if (reason == CONNECT_FAILED) {
            // OpenSSH's text ("Connection refused", "Name or service not known", ...) is not kept by JSch.
            return literal(host)
                    ? new ConnectException("Connection refused (" + where + " as seen from the target)")
                    : new ConnectException("cannot connect to " + where + " from the target (refused, or the name"
                            + " does not resolve there)");
        }
        if (reason == ADMINISTRATIVELY_PROHIBITED) {
            return new ConnectException("the target's sshd does not allow port forwarding to " + where
                    + " (AllowTcpForwarding / PermitOpen in sshd_config)");
        }
        if (reason > 0) {
            return new IOException("the target's sshd refused a channel to " + where + " (reason " + reason + ")", e);
        }
        if (!runnerSessionUp()) {
            return new IOException("SSH session to " + runner.where() + " lost: " + e.getMessage(), e);
        }
        var t = new SocketTimeoutException("no connection to " + where + " from the target within " + ms + " ms");
        t.initCause(e);
        return t;
    }

    private boolean runnerSessionUp() {
        try {
            return runner.session().isConnected();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean literal(String host) {
        return host.equals("localhost") || host.matches("[0-9.]+") || host.contains(":");
    }

    @Override
    public String describe() {
        return "ssh " + runner.where();
    }

    private static final class SshConnection implements Connection {
        private final ChannelDirectTCPIP ch;
        private final Inbox inbox;
        private final OutputStream out;
        private final String name;

        SshConnection(ChannelDirectTCPIP ch, Inbox inbox, OutputStream out, String name) {
            this.ch = ch;
            this.inbox = inbox;
            this.out = out;
            this.name = name;
        }

        @Override public InputStream input() { return inbox; }
        @Override public OutputStream output() { return out; }
        @Override public void readTimeout(Duration t) { inbox.timeoutMillis = DirectConnector.millis(t); }

        @Override
        public void close() {
            inbox.end(); // first: wakes a blocked reader even if JSch's close blocks
            ch.disconnect();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What the channel received: JSch's session thread writes into {@link #sink()} (never blocking it,
     * which would stall every channel of the session; a health check reads little), readers wait at
     * most {@link #timeoutMillis} per read.
     */
    static final class Inbox extends InputStream {
        private final byte[] one = new byte[1];
        private byte[] buf = new byte[4096];
        private int start;
        private int end;
        private boolean eof;
        volatile int timeoutMillis = 0; // 0: wait until data or EOF

        OutputStream sink() {
            return new OutputStream() {
                @Override public void write(int b) { put(new byte[] {(byte) b}, 0, 1); }
                @Override public void write(byte[] b, int off, int len) { put(b, off, len); }
                @Override public void close() { end(); }
            };
        }

        synchronized void put(byte[] b, int off, int len) {
            if (eof) {
                return;
            }
            if (end + len > buf.length) {
                int live = end - start;
                byte[] next = live + len > buf.length ? new byte[Math.max(buf.length * 2, live + len)] : buf;
                System.arraycopy(buf, start, next, 0, live);
                buf = next;
                start = 0;
                end = live;
            }
            System.arraycopy(b, off, buf, end, len);
            end += len;
            notifyAll();
        }

        synchronized void end() {
            eof = true;
            notifyAll();
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long limit = timeoutMillis;
            long until = System.nanoTime() + limit * 1_000_000;
            while (start == end && !eof) {
                try {
                    if (limit <= 0) {
                        wait();
                    } else {
                        long left = until - System.nanoTime();
                        if (left <= 0) {
                            throw new SocketTimeoutException("Read timed out");
                        }
                        wait(Math.max(1, left / 1_000_000), 0);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
            if (start == end) {
                return -1;
            }
            int n = Math.min(len, end - start);
            System.arraycopy(buf, start, b, off, n);
            start += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return end - start;
        }

        @Override
        public void close() {
            end();
        }
    }
}
