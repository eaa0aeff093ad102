package com.zed.dsl;

import com.zed.model.SourcePos;

/** {@code zone('name') { ... }}: an illumos zone. */
public final class ZoneBlock extends GuestBlock {
    ZoneBlock(ScriptState state, String name, SourcePos pos) {
        super(state, name, pos);
    }
}
