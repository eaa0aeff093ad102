package com.zed.beam;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;

import java.time.Duration;

/**
 * What {@code net_adm:ping/1} does: connect (epmd lookup, handshake with the cookie), then ask the
 * node's {@code net_kernel} {@code {is_auth, Self}} and expect {@code yes}. A node that completes the
 * handshake but whose net_kernel does not answer (e.g. overloaded) fails with a timeout.
 */
public final class BeamPingCheck extends AbstractHealthCheck {

    private final BeamTarget target;

    public BeamPingCheck(BeamTarget target, Duration timeout) {
        super(timeout);
        this.target = target;
    }

    @Override
    String probe(Deadline deadline, Bounded.Guard guard) throws Exception {
        try (BeamConnection c = BeamConnection.open(target, deadline, guard)) {
            OtpErlangRef ref = c.self().createRef();
            // A gen_server call by hand: {'$gen_call', {From, Tag}, Request}; the reply is {Tag, Reply}.
            OtpErlangTuple from = new OtpErlangTuple(new OtpErlangObject[]{c.self().pid(), ref});
            OtpErlangTuple request = new OtpErlangTuple(new OtpErlangObject[]{
                    new OtpErlangAtom("is_auth"), new OtpErlangAtom(c.self().node())});
            c.send("net_kernel", new OtpErlangTuple(new OtpErlangObject[]{
                    new OtpErlangAtom("$gen_call"), from, request}));
            OtpErlangObject reply = c.receive(m -> BeamConnection.isTuple(m, 2, ref));
            if (reply == null) {
                return deadline.timeoutReason() + " (connected, net_kernel did not answer)";
            }
            OtpErlangObject answer = ((OtpErlangTuple) reply).elementAt(1);
            return answer.equals(new OtpErlangAtom("yes")) ? null
                    : "net_kernel answered " + ErlangTerms.format(answer) + " (expected yes)";
        }
    }

    @Override
    String reason(Exception e, Deadline deadline) {
        return BeamFailures.reason(e, target, deadline);
    }

    @Override
    public String describe() {
        return "beamPing " + target.node() + " (epmd " + target.host() + ":" + target.epmdPort() + ")";
    }
}
