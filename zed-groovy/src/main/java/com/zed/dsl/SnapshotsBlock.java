package com.zed.dsl;

import com.zed.model.Field;
import com.zed.model.SnapshotPolicy;
import com.zed.model.SourcePos;

/** {@code snapshots { ... }}: when Zed snapshots and how many of its snapshots it keeps. */
public final class SnapshotsBlock {
    private final ScriptState state;
    final SourcePos pos;
    private final Declared declared;
    private boolean beforeDeploy = SnapshotPolicy.DEFAULT.beforeDeploy();
    private int keep = SnapshotPolicy.DEFAULT.keep();

    SnapshotsBlock(ScriptState state, SourcePos pos) {
        this.state = state;
        this.pos = pos;
        this.declared = new Declared(state);
    }

    /** Take one atomic snapshot of every affected dataset before changing anything (default true). */
    @Usage("beforeDeploy true")
    public void beforeDeploy(boolean on) {
        if (declared.add(Field.of("beforeDeploy"), state.pos("beforeDeploy"), on)) {
            beforeDeploy = on;
        }
    }

    /** How many of Zed's own snapshots to keep per dataset, at least 1 (default 10). */
    @Usage("keep 5")
    public void keep(int count) {
        if (declared.add(Field.of("keep"), state.pos("keep"), count)) {
            keep = count;
        }
    }

    SnapshotPolicy build() {
        return declared.to(new SnapshotPolicy(beforeDeploy, keep, pos));
    }
}
