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
import java.util.Optional;

/** {@code cluster('name') { ... }}: hosts deployed together, in which order, and what a failure does. */
public final class ClusterBlock {
    private final ScriptState state;
    private final String name;
    final SourcePos pos;
    private final Declared declared;
    private final List<ClusterSpec.HostSpec> hosts = new ArrayList<>();
    private String strategy = ClusterSpec.DEFAULT_STRATEGY;
    private String fallback = ClusterSpec.DEFAULT_FALLBACK;
    private int parallel = 1;
    private ClusterSpec.Discover discover;

    ClusterBlock(ScriptState state, String name, SourcePos pos) {
        this.state = state;
        this.name = name;
        this.pos = pos;
        this.declared = new Declared(state);
    }

    /**
     * A host: its name, how to reach it over SSH (an alias from ~/.ssh/config, or
     * {@code [user@]host[:port]}), optional labels, the pool to use there when it is not the deploy's,
     * and environment every app gets on this host only.
     */
    @Usage("host 'fra', ssh: 'deploy@10.0.0.1', labels: ['prod']")
    public void host(@NamedParams({
                             @NamedParam(value = "ssh", type = String.class, required = true),
                             @NamedParam(value = "labels", type = List.class),
                             @NamedParam(value = "pool", type = String.class),
                             @NamedParam(value = "env", type = Map.class)})
                     Map<String, Object> options, String name) {
        Object ssh = options.get("ssh");
        Object labels = options.get("labels");
        Object pool = options.get("pool");
        Object env = options.get("env");
        SourcePos at = state.pos("host");
        var vars = new java.util.LinkedHashMap<String, String>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> vars.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        List<String> words = new ArrayList<>();
        if (labels instanceof List<?> l) {
            l.forEach(x -> words.add(String.valueOf(x)));
        }
        var host = new ClusterSpec.HostSpec(name, ssh == null ? null : ssh.toString(), words,
                Optional.ofNullable(pool).map(Object::toString), vars, at);
        var decl = new ArrayList<SourceMap.Declaration>();
        decl.add(new SourceMap.Declaration(Field.of("ssh"), state.named(at, "ssh"), ssh));
        if (labels != null) {
            decl.add(new SourceMap.Declaration(Field.of("labels"), state.named(at, "labels"), labels));
        }
        if (pool != null) {
            decl.add(new SourceMap.Declaration(Field.of("pool"), state.named(at, "pool"), pool));
        }
        if (env != null) {
            decl.add(new SourceMap.Declaration(Field.of("env"), state.named(at, "env"), env));
        }
        state.sourceMap.declare(host, decl);
        hosts.add(host);
    }

    /**
     * Which hosts a failure's fallback reaches: {@code one4all} (default: every host of the run, those
     * already updated too), {@code one4rest} (the hosts not yet updated) or {@code one4one} (the failing one).
     */
    @Usage("strategy 'one4all'")
    public void strategy(String strategy) {
        if (declared.add(Field.of("strategy"), state.pos("strategy"), strategy)) {
            this.strategy = strategy;
        }
    }

    /** What a failure does to the hosts it reaches: {@code rollback} (default), {@code ignore} or {@code stop}. */
    @Usage("fallback 'rollback'")
    public void fallback(String fallback) {
        if (declared.add(Field.of("fallback"), state.pos("fallback"), fallback)) {
            this.fallback = fallback;
        }
    }

    /** How many hosts are deployed at once, in declared order (default 1: one after another). */
    @Usage("parallel 2")
    public void parallel(int hosts) {
        if (declared.add(Field.of("parallel"), state.pos("parallel"), hosts)) {
            this.parallel = hosts;
        }
    }

    /**
     * Also deploy to the hosts that announce the Zed service over mDNS (DNS-SD {@code _zed._tcp}, or
     * {@code service:}), browsed for {@code wait} ms before a run and taken when they carry every one of
     * {@code labels}; they come after the declared hosts. Their host keys are checked like any host's.
     */
    @Usage("discover labels: ['prod'], wait: 3000")
    public void discover(@NamedParams({
                                 @NamedParam(value = "labels", type = List.class),
                                 @NamedParam(value = "wait", type = Integer.class),
                                 @NamedParam(value = "service", type = String.class)})
                         Map<String, Object> options) {
        SourcePos at = state.pos("discover");
        if (!declared.add(Field.of("discover"), at, options)) {
            return;
        }
        declared.named(Field.of("discover"), at, options);
        List<String> words = new ArrayList<>();
        if (options.get("labels") instanceof List<?> l) {
            l.forEach(x -> words.add(x == null ? null : String.valueOf(x)));
        }
        Object wait = options.get("wait");
        Object service = options.get("service");
        discover = new ClusterSpec.Discover(service == null ? ClusterSpec.Discover.DEFAULT_SERVICE : service.toString(),
                words.stream().filter(java.util.Objects::nonNull).toList(),
                wait instanceof Number n ? n.intValue() : ClusterSpec.Discover.DEFAULT_WAIT_MILLIS, at);
    }

    /** {@code discover} with every default: the {@code _zed._tcp} service, any labels, 3 s. */
    @Usage("discover()")
    public void discover() {
        discover(Map.of());
    }

    ClusterSpec build() {
        return declared.to(new ClusterSpec(name, hosts, strategy, fallback, parallel, Optional.ofNullable(discover), pos));
    }
}
