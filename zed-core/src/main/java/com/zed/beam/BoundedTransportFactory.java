package com.zed.beam;

import com.ericsson.otp.erlang.OtpGenericTransportFactory;
import com.ericsson.otp.erlang.OtpLocalNode;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpServerTransport;
import com.ericsson.otp.erlang.OtpSocketTransport;
import com.ericsson.otp.erlang.OtpTransport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * JInterface transport for one connection attempt: asks epmd at a per-check host and port (not the
 * JVM-wide {@code OtpEpmd} port), then connects to the distribution port with connect and read
 * timeouts taken from the check's deadline, and registers every socket with the {@link Bounded.Guard}
 * so a hung handshake is cut off when the deadline passes.
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
        int port = Epmd.lookup(target.host(), target.epmdPort(), target.alive(), deadline, guard);
        distPort = port;
        Socket s = guard.register(new Socket());
        try {
            s.connect(new InetSocketAddress(target.host(), port), deadline.remainingMillisForSocket());
        } catch (IOException e) {
            s.close();
            throw new DistPortUnreachable(port, e);
        }
        // Bounds every read of the handshake and of the reply; the Guard covers the rest.
        s.setSoTimeout(deadline.remainingMillisForSocket());
        s.setTcpNoDelay(true);
        return new OtpSocketTransport(s);
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
