package com.zed.exec;

import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * {@code ProxyJump} for JSch, which has none: the connection to the next host is a {@code direct-tcpip}
 * channel opened on the jump host's session (what {@code ssh -J} does), used as the next session's
 * socket. What arrives goes into an {@link SshConnector.Inbox} (JSch's session thread never blocks
 * writing to it); its read timeout stands in for a socket's {@code SO_TIMEOUT}, which JSch uses for
 * {@code ServerAliveInterval} keepalives and has no socket to set here.
 */
final class JumpProxy implements Proxy {
    private final Session via;
    private final String viaLabel;
    private ChannelDirectTCPIP ch;
    private final SshConnector.Inbox inbox = new SshConnector.Inbox();
    private OutputStream out;

    JumpProxy(Session via, String viaLabel) {
        this.via = via;
        this.viaLabel = viaLabel;
    }

    @Override
    public void connect(SocketFactory ignored, String host, int port, int timeout) throws Exception {
        try {
            ch = (ChannelDirectTCPIP) via.openChannel("direct-tcpip");
            ch.setHost(host);
            ch.setPort(port);
            SshSessions.tune(ch);
            ch.setOutputStream(inbox.sink());
            out = ch.getOutputStream();
            ch.connect(timeout);
        } catch (JSchException e) {
            throw new JSchException("cannot reach " + host + ":" + port + " through the jump host " + viaLabel
                    + " (refused by its sshd, or nothing listens there): " + e.getMessage(), e);
        }
        inbox.timeoutMillis = timeout;
    }

    /** The read timeout of the tunnel: the session's keepalive interval once connected (0: none). */
    void readTimeout(int millis) {
        inbox.timeoutMillis = millis;
    }

    @Override
    public InputStream getInputStream() {
        return inbox;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        inbox.end();
        if (ch != null) {
            ch.disconnect();
        }
    }
}
