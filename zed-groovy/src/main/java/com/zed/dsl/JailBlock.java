package com.zed.dsl;

import com.zed.model.SourcePos;

/** {@code jail('name') { ... }}: a FreeBSD jail. */
public final class JailBlock extends GuestBlock {
    JailBlock(ScriptState state, String name, SourcePos pos) {
        super(state, name, pos);
    }
}
