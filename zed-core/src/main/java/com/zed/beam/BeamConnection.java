package com.zed.beam;

import com.ericsson.otp.erlang.OtpAuthException;
import com.ericsson.otp.erlang.OtpConnection;
import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangExit;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * One short-lived Erlang distribution connection from a throw-away local node to a {@link BeamTarget}.
 * Connect = epmd lookup + TCP connect + handshake; a completed handshake proves the node is up and the
 * cookie is right. Uses OtpSelf/OtpConnection rather than OtpNode: OtpNode.ping only answers pang after
 * its whole timeout and needs a local epmd.
 */
final class BeamConnection implements Closeable {

    /**
     * epmd answered, but the distribution connection or handshake failed (JInterface reports all of
     * these as "Cannot connect to peer node"); keeps where, and whether it was a timeout.
     */
    static final class HandshakeFailed extends IOException {
        final String where;
        final boolean timeout;

        HandshakeFailed(String where, Throwable cause) {
            super("handshake with distribution port " + where + " failed", cause);
            this.where = where;
            this.timeout = AbstractHealthCheck.isTimeout(cause);
        }
    }

    private final OtpSelf self;
    private final OtpConnection conn;
    private final Deadline deadline;

    private BeamConnection(OtpSelf self, OtpConnection conn, Deadline deadline) {
        this.self = self;
        this.conn = conn;
        this.deadline = deadline;
    }

    static BeamConnection open(BeamTarget target, Deadline deadline, Bounded.Guard guard)
            throws IOException, OtpAuthException {
        BoundedTransportFactory transport = new BoundedTransportFactory(target, deadline, guard);
        OtpSelf self = new OtpSelf(selfName(target), target.cookie().reveal(), 0, transport);
        OtpConnection conn;
        try {
            conn = self.connect(new OtpPeer(target.node(), transport));
        } catch (IOException e) {
            // JInterface wraps everything in "Cannot connect to peer node"; keep which stage failed.
            if (transport.distPort != 0 && !(e.getCause() instanceof BoundedTransportFactory.DistPortUnreachable)) {
                throw new HandshakeFailed(target.host() + ":" + transport.distPort, e);
            }
            throw e;
        }
        guard.register(conn::close);
        return new BeamConnection(self, conn, deadline);
    }

    /**
     * A fresh name per connection so parallel checks never collide; the node type (long/short) must
     * match the target's or the target refuses the connection.
     */
    static String selfName(BeamTarget target) {
        // Uniqueness, not secrecy: ThreadLocalRandom avoids SecureRandom's seeding cost on a cold JVM.
        String alive = "zed_health_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
        return alive + "@" + (target.longNames() ? "127.0.0.1" : "localhost");
    }

    OtpSelf self() {
        return self;
    }

    void send(String registeredName, OtpErlangObject msg) throws IOException {
        conn.send(registeredName, msg);
    }

    /**
     * The first message that {@code wanted} accepts; null when the deadline passes first. Other
     * messages (none are expected on a fresh connection) are skipped.
     */
    OtpErlangObject receive(Predicate<OtpErlangObject> wanted) throws IOException, OtpErlangExit, OtpAuthException {
        while (true) {
            long ms = deadline.remaining().toMillis();
            if (ms <= 0) {
                return null;
            }
            OtpErlangObject msg;
            try {
                msg = conn.receive(ms);
            } catch (InterruptedException e) {
                // JInterface signals "no message within the timeout" with InterruptedException.
                if (Thread.currentThread().isInterrupted()) {
                    throw new IOException("interrupted", e);
                }
                return null;
            }
            if (msg != null && wanted.test(msg)) {
                return msg;
            }
        }
    }

    static boolean isTuple(OtpErlangObject o, int arity, OtpErlangObject first) {
        return o instanceof OtpErlangTuple t && t.arity() == arity && t.elementAt(0).equals(first);
    }

    static final OtpErlangAtom REX = new OtpErlangAtom("rex");

    @Override
    public void close() {
        conn.close();
    }
}
