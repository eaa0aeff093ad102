package com.zed.model;

import java.util.List;

/** How to tell that an app is healthy after a deploy. Checks run at apply time. */
public sealed interface HealthCheckSpec
        permits HealthCheckSpec.BeamPing, HealthCheckSpec.Rpc, HealthCheckSpec.Http, HealthCheckSpec.Tcp {

    long timeoutMillis();

    /** {@code net_adm:ping} of the app's node over Erlang distribution. */
    record BeamPing(long timeoutMillis) implements HealthCheckSpec { }

    /** {@code rpc:call(Node, Module, Function, Args)} must return {@code expect} (Erlang term text). */
    record Rpc(String module, String function, List<String> args, String expect, long timeoutMillis)
            implements HealthCheckSpec {
        public Rpc {
            args = List.copyOf(args);
        }
    }

    /** An HTTP GET must answer {@code status}. */
    record Http(String url, int status, long timeoutMillis) implements HealthCheckSpec { }

    /** A TCP connect must succeed. */
    record Tcp(String host, int port, long timeoutMillis) implements HealthCheckSpec { }
}
