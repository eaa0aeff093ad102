package com.zed.dsl;

import com.zed.model.SourcePos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What jails and zones share: a root dataset, the apps inside, and platform parameters. */
public abstract sealed class GuestBlock permits JailBlock, ZoneBlock {
    private final ScriptState state;
    final String name;
    final SourcePos pos;
    String dataset;
    final List<String> apps = new ArrayList<>();
    final Map<String, String> params = new LinkedHashMap<>();

    GuestBlock(ScriptState state, String name, SourcePos pos) {
        this.state = state;
        this.name = name;
        this.pos = pos;
    }

    /** The guest's root dataset, declared with {@code dataset(...)} in the deploy. */
    @Usage("dataset 'jails/name'")
    public void dataset(String path) {
        state.field(pos, "dataset", state.pos("dataset"));
        dataset = path;
    }

    /** Apps (declared with {@code app(...)}) that run inside. */
    @Usage("contains 'app1', 'app2'")
    public void contains(String... apps) {
        state.field(pos, "contains", state.pos("contains"));
        Collections.addAll(this.apps, apps);
    }

    /** A platform parameter ({@code ip4.addr} for a jail, {@code brand} for a zone). */
    @Usage("param 'ip4.addr', '10.0.0.5'")
    public void param(String name, String value) {
        SourcePos at = state.pos("param");
        if (params.putIfAbsent(name, value) != null) {
            state.problem(at, "param", "param '" + name + "' is set twice");
        }
    }
}
