package com.zed.dsl;

import com.zed.model.Field;
import com.zed.model.ReplicationSpec;
import com.zed.model.SourcePos;
import groovy.transform.NamedParam;
import groovy.transform.NamedParams;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code replicate('apps/trading') { to 'dr', dataset: 'backup/trading'; keep 10 }}: where a dataset is
 * replicated and how. Records what it is given; the Validator judges it.
 */
public final class ReplicateBlock {
    private final ScriptState state;
    private final String dataset;
    final SourcePos pos;
    final Declared declared;
    private String host;
    private String targetDataset;
    private boolean raw;
    private boolean compressed;
    private Integer keep;
    private boolean rollback;

    ReplicateBlock(ScriptState state, String dataset, SourcePos pos) {
        this.state = state;
        this.dataset = dataset;
        this.pos = pos;
        this.declared = new Declared(state);
    }

    /** The target host (an ssh alias or user@host[:port]) and the dataset there (pool/path). */
    @Usage("to 'dr', dataset: 'backup/trading'")
    public void to(@NamedParams({@NamedParam(value = "dataset", type = String.class, required = true)})
                   Map<String, Object> options, String host) {
        SourcePos at = state.pos("to");
        Object ds = options.get("dataset");
        if (declared.add(Field.of("to"), at, host)) {
            this.host = host;
            this.targetDataset = ds == null ? null : ds.toString();
        }
        declared.args(Field.of("to"), at, List.of("arg1"), host);
        declared.named(Field.of("to"), at, options);
    }

    /** Send encrypted blocks as they are on disk ({@code zfs send -w}); default false. */
    @Usage("raw true")
    public void raw(boolean on) {
        if (declared.add(Field.of("raw"), state.pos("raw"), on)) {
            raw = on;
        }
    }

    /** Keep blocks compressed in the stream ({@code zfs send -c}); default false. */
    @Usage("compressed true")
    public void compressed(boolean on) {
        if (declared.add(Field.of("compressed"), state.pos("compressed"), on)) {
            compressed = on;
        }
    }

    /** How many snapshots the target keeps, at least 1 (default: all); the newest common one always stays. */
    @Usage("keep 10")
    public void keep(int count) {
        if (declared.add(Field.of("keep"), state.pos("keep"), count)) {
            keep = count;
        }
    }

    /** Roll a diverged target back to the common snapshot (its own snapshots and writes are lost); default false. */
    @Usage("rollback true")
    public void rollback(boolean on) {
        if (declared.add(Field.of("rollback"), state.pos("rollback"), on)) {
            rollback = on;
        }
    }

    ReplicationSpec build() {
        return declared.to(new ReplicationSpec(dataset, host, targetDataset, raw, compressed,
                keep == null ? OptionalInt.empty() : OptionalInt.of(keep), rollback, pos));
    }
}
