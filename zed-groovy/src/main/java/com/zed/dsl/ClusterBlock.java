package com.zed.dsl;

import com.zed.model.ClusterSpec;
import com.zed.model.Field;
import com.zed.model.SourceMap;
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
    private final Declared declared;
    private final List<ClusterSpec.HostSpec> hosts = new ArrayList<>();
    private String strategy = DEFAULT_STRATEGY;

    ClusterBlock(ScriptState state, String name, SourcePos pos) {
        this.state = state;
        this.name = name;
        this.pos = pos;
        this.declared = new Declared(state);
    }

    /** A host, and how to reach it over SSH ({@code user@host[:port]}). */
    @Usage("host 'a', ssh: 'root@10.0.0.1'")
    public void host(@NamedParams({@NamedParam(value = "ssh", type = String.class, required = true)})
                     Map<String, Object> options, String name) {
        Object ssh = options.get("ssh");
        SourcePos at = state.pos("host");
        var host = new ClusterSpec.HostSpec(name, ssh == null ? null : ssh.toString(), at);
        state.sourceMap.declare(host, List.of(new SourceMap.Declaration(Field.of("ssh"), state.named(at, "ssh"), ssh)));
        hosts.add(host);
    }

    /** The order hosts are deployed in: 'rolling' (default), 'all-at-once' or 'canary'. */
    @Usage("strategy 'rolling'")
    public void strategy(String strategy) {
        if (declared.add(Field.of("strategy"), state.pos("strategy"), strategy)) {
            this.strategy = strategy;
        }
    }

    ClusterSpec build() {
        return declared.to(new ClusterSpec(name, hosts, strategy, pos));
    }
}
