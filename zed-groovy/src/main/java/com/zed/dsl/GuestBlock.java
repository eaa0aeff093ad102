package com.zed.dsl;

import com.zed.model.Field;
import com.zed.model.SourcePos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What jails and zones share: a root dataset, the apps inside, and platform parameters. */
public abstract sealed class GuestBlock permits JailBlock, ZoneBlock {
    private final ScriptState state;
    final Declared declared;
    final String name;
    final SourcePos pos;
    String dataset;
    final List<String> apps = new ArrayList<>();
    final Map<String, String> params = new LinkedHashMap<>();

    GuestBlock(ScriptState state, String name, SourcePos pos) {
        this.state = state;
        this.name = name;
        this.pos = pos;
        this.declared = new Declared(state);
    }

    /** The guest's root dataset, declared with {@code dataset(...)} in the deploy. */
    @Usage("dataset 'jails/name'")
    public void dataset(String path) {
        if (declared.add(Field.of("dataset"), state.pos("dataset"), path)) {
            dataset = path;
        }
    }

    /** Apps (declared with {@code app(...)}) that run inside. */
    @Usage("contains 'app1', 'app2'")
    public void contains(String... apps) {
        declared.add(Field.of("contains"), state.pos("contains"), apps);
        if (apps != null) {
            Collections.addAll(this.apps, apps);
        }
    }

    /** A platform parameter ({@code ip4.addr} for a jail, {@code brand} for a zone). */
    @Usage("param 'ip4.addr', '10.0.0.5'")
    public void param(String name, String value) {
        if (declared.add(Field.of("param", String.valueOf(name)), state.pos("param"), value) && name != null && value != null) {
            params.put(name, value);
        }
    }
}
