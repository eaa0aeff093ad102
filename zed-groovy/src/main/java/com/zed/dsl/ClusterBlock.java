package com.zed.dsl;

import com.zed.model.ClusterSpec;
import com.zed.model.SourcePos;
import groovy.transform.NamedParam;
import groovy.transform.NamedParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code cluster('name') { ... }}: hosts deployed together, and in which order. */
public final class ClusterBlock {
    /** Used when the block names no strategy. */
    public static final String DEFAULT_STRATEGY = "rolling";

    private final ScriptState state;
    private final String name;
    final SourcePos pos;
    private final List<ClusterSpec.HostSpec> hosts = new ArrayList<>();
    private String strategy = DEFAULT_STRATEGY;

    ClusterBlock(ScriptState state, String name, SourcePos pos) {
        this.state = state;
        this.name = name;
        this.pos = pos;
    }

    /** A host, and how to reach it over SSH ({@code user@host[:port]}). */
    @Usage("host 'a', ssh: 'root@10.0.0.1'")
    public void host(@NamedParams({@NamedParam(value = "ssh", type = String.class, required = true)})
                     Map<String, Object> options, String name) {
        Object ssh = options.get("ssh");
        hosts.add(new ClusterSpec.HostSpec(name, ssh == null ? null : ssh.toString(), state.pos("host")));
    }

    /** The order hosts are deployed in: 'rolling' (default), 'all-at-once' or 'canary'. */
    @Usage("strategy 'rolling'")
    public void strategy(String strategy) {
        state.field(pos, "strategy", state.pos("strategy"));
        this.strategy = strategy;
    }

    ClusterSpec build() {
        return new ClusterSpec(name, hosts, strategy, pos);
    }
}
