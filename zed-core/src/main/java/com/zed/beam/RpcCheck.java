package com.zed.beam;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

import java.time.Duration;
import java.util.List;

/**
 * {@code rpc:call(Node, Module, Function, Args)} must return {@code expect}, compared structurally
 * (so {@code "abc"} equals {@code [97,98,99]}, and {@code 1} does not equal {@code 1.0}). Arguments and
 * expectation are Erlang term text, parsed when the check is built so a typo fails early.
 */
public final class RpcCheck extends AbstractHealthCheck {

    private final BeamTarget target;
    private final String module;
    private final String function;
    private final List<OtpErlangObject> args;
    private final OtpErlangObject expect;

    /**
     * @param args one Erlang term text per argument: {@code lists:sum([1,2,3])} is {@code ["[1,2,3]"]}
     * @throws ErlangTerms.ParseException if an argument or {@code expect} is not a term
     */
    public RpcCheck(BeamTarget target, String module, String function, List<String> args, String expect,
                    Duration timeout) {
        super(timeout);
        this.target = target;
        this.module = module;
        this.function = function;
        this.args = args.stream().map(ErlangTerms::parse).toList();
        this.expect = ErlangTerms.parse(expect);
    }

    @Override
    String probe(Deadline deadline, Bounded.Guard guard) throws Exception {
        try (BeamConnection c = BeamConnection.open(target, deadline, guard)) {
            // rex, the rpc server, still serves {Pid, {call, M, F, A, GroupLeader}} and answers {rex, Result}.
            c.send("rex", new OtpErlangTuple(new OtpErlangObject[]{c.self().pid(), callTuple()}));
            OtpErlangObject reply = c.receive(m -> BeamConnection.isTuple(m, 2, BeamConnection.REX));
            if (reply == null) {
                return deadline.timeoutReason() + " (connected, no rpc reply)";
            }
            OtpErlangObject got = ((OtpErlangTuple) reply).elementAt(1);
            return ErlangTerms.equivalent(got, expect) ? null
                    : "rpc returned " + ErlangTerms.format(got, 300) + " (expected " + ErlangTerms.format(expect, 300) + ")";
        }
    }

    private OtpErlangTuple callTuple() {
        return new OtpErlangTuple(new OtpErlangObject[]{
                new OtpErlangAtom("call"),
                new OtpErlangAtom(module),
                new OtpErlangAtom(function),
                new OtpErlangList(args.toArray(new OtpErlangObject[0])),
                new OtpErlangAtom("user")});
    }

    @Override
    String reason(Exception e, Deadline deadline) {
        return BeamFailures.reason(e, target, deadline);
    }

    @Override
    public String describe() {
        return "rpc " + module + ":" + function + "/" + args.size() + " on " + target.node()
                + " (epmd " + target.host() + ":" + target.epmdPort() + ")";
    }
}
