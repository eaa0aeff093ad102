package com.zed.beam;

import com.ericsson.otp.erlang.OtpGenericTransportFactory;
import com.ericsson.otp.erlang.OtpLocalNode;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpServerTransport;
import com.ericsson.otp.erlang.OtpTransport;
import com.zed.exec.Connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * JInterface transport for one connection attempt: asks epmd at a per-check host and port (not the
 * JVM-wide {@code OtpEpmd} port), then connects to the distribution port with connect and read
 * timeouts taken from the check's deadline, and registers every connection with the
 * {@link Bounded.Guard} so a hung handshake is cut off when the deadline passes. Both connections go
 * through the target's {@link Connector}: plain sockets from this host, or SSH channels opened by the
 * target's sshd.
 *
 * <p>Being an {@link OtpGenericTransportFactory} is what makes JInterface hand the whole connect to
 * {@link #createTransport(OtpPeer)} instead of doing its own epmd lookup; the side effect is that the
 * local node cannot accept connections, which a health check never needs.
 */
final class BoundedTransportFactory extends OtpGenericTransportFactory {

    /** Failure to reach the distribution port that epmd reported; kept apart from epmd failures. */
    static final class DistPortUnreachable extends IOException {
        final int port;

        DistPortUnreachable(int port, IOException cause) {
            super("distribution port " + port + ": " + cause.getMessage(), cause);
            this.port = port;
        }
    }

    private final BeamTarget target;
    private final Deadline deadline;
    private final Bounded.Guard guard;
    volatile int distPort;

    BoundedTransportFactory(BeamTarget target, Deadline deadline, Bounded.Guard guard) {
        this.target = target;
        this.deadline = deadline;
        this.guard = guard;
    }

    @Override
    public OtpTransport createTransport(OtpPeer peer) throws IOException {
        Connector connector = target.connector();
        int port = Epmd.lookup(connector, target.host(), target.epmdPort(), target.alive(), deadline, guard);
        distPort = port;
        Connector.Connection c;
        try {
            c = guard.register(connector.open(target.host(), port, deadline.remaining()));
        } catch (IOException e) {
            throw new DistPortUnreachable(port, e);
        }
        // Bounds every read of the handshake and of the reply; the Guard covers the rest.
        c.readTimeout(deadline.remaining());
        InputStream in = c.input();
        OutputStream out = c.output();
        return new OtpTransport() {
            @Override public InputStream getInputStream() { return in; }
            @Override public OutputStream getOutputStream() { return out; }
            @Override public void close() { c.close(); }
        };
    }

    @Override
    public OtpServerTransport createServerTransport(OtpLocalNode node) {
        return NOT_LISTENING;
    }

    /** The local node of a check never accepts connections. */
    private static final OtpServerTransport NOT_LISTENING = new OtpServerTransport() {
        @Override
        public int getLocalPort() {
            return 0;
        }

        @Override
        public OtpTransport accept() throws IOException {
            throw new IOException("a health check node does not accept connections");
        }

        @Override
        public void close() {
        }
    };
}
