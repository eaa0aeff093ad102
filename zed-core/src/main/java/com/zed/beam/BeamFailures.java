package com.zed.beam;

import com.ericsson.otp.erlang.OtpAuthException;
import com.ericsson.otp.erlang.OtpErlangExit;

import java.io.EOFException;

/** Turns what a distribution connect throws into a reason an operator can act on. */
final class BeamFailures {

    private BeamFailures() {
    }

    static String reason(Exception e, BeamTarget target, Deadline deadline) {
        String epmd = "epmd " + target.host() + ":" + target.epmdPort();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Epmd.Silent || t instanceof BeamConnection.HandshakeTimeout) {
                return deadline.timeoutReason() + " (" + t.getMessage() + ")";
            }
            if (t instanceof OtpAuthException) {
                return "wrong cookie";
            }
            if (t instanceof Epmd.NotRegistered) {
                return "node down (" + target.alive() + " not registered with " + epmd + ")";
            }
            if (t instanceof Epmd.BadAnswer b) {
                return "node down (" + epmd + ": " + b.getMessage() + ")";
            }
            if (t instanceof BoundedTransportFactory.DistPortUnreachable d) {
                String why = AbstractHealthCheck.networkReason(d.getCause(), deadline);
                return why.startsWith("timeout") ? why + " (connecting to distribution port "
                        + target.host() + ":" + d.port + ")"
                        : "distribution port " + target.host() + ":" + d.port + " unreachable (" + why
                        + "; epmd has it registered: is the port forwarded, or the node stuck?)";
            }
            if (t instanceof OtpErlangExit x) {
                return "connection lost: " + x.reason();
            }
        }
        String why = AbstractHealthCheck.networkReason(e, deadline);
        if (why.startsWith("timeout")) {
            return why;
        }
        if (why.equals("connection refused") || why.startsWith("cannot connect") || why.startsWith("no route")) {
            // Nothing answered on the epmd port: host down, epmd not running, or wrong/unforwarded port.
            return "node down (" + epmd + ": " + why + ")";
        }
        if (hasCause(e, EOFException.class) || why.contains("EOF") || why.contains("Remote connection closed")) {
            return "handshake failed: the node closed the connection (not a distribution port, or the node"
                    + " refused our node name)";
        }
        if (why.contains("Peer replied with status")) {
            return "handshake refused: " + why;
        }
        return why;
    }

    private static boolean hasCause(Throwable e, Class<?> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
