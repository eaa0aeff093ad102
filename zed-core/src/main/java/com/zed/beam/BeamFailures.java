package com.zed.beam;

import com.ericsson.otp.erlang.OtpAuthException;
import com.ericsson.otp.erlang.OtpErlangExit;


/** Turns what a distribution connect throws into a reason an operator can act on. */
final class BeamFailures {

    private BeamFailures() {
    }

    static String reason(Exception e, BeamTarget target, Deadline deadline) {
        String epmd = "epmd " + target.host() + ":" + target.epmdPort() + target.via();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OtpAuthException) {
                return "wrong cookie";
            }
            if (t instanceof Epmd.Silent) {
                return deadline.timeoutReason() + " (" + t.getMessage() + ")";
            }
            if (t instanceof BeamConnection.HandshakeFailed h) {
                return handshake(h, deadline);
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
                        + "; epmd has it registered: is the node stuck, or its distribution bound elsewhere?)";
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
            // Nothing answered on the epmd port: host down, epmd not running, or a wrong port.
            return "node down (" + epmd + ": " + why + ")";
        }
        return why;
    }

    private static String handshake(BeamConnection.HandshakeFailed h, Deadline deadline) {
        if (h.timeout) {
            return deadline.timeoutReason() + " (no handshake from distribution port " + h.where + ")";
        }
        String detail = deepestMessage(h.getCause());
        if (detail.contains("EOF") || detail.contains("Remote connection closed") || detail.contains("socket was closed")) {
            return "handshake failed: distribution port " + h.where + " closed the connection (nothing"
                    + " listening behind a port forward, not a distribution port, or our node name refused)";
        }
        if (detail.contains("Peer replied with status")) {
            return "handshake refused by " + h.where + ": " + detail;
        }
        return "handshake failed with distribution port " + h.where + ": " + detail;
    }

    /** JInterface wraps causes in generic messages; the innermost one says what happened. */
    private static String deepestMessage(Throwable e) {
        String msg = AbstractHealthCheck.oneLine(e);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                msg = AbstractHealthCheck.oneLine(t);
            }
        }
        return msg;
    }
}
