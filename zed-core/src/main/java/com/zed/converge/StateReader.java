package com.zed.converge;

import com.zed.model.Deployment;
import com.zed.zfs.PropertyTable;
import com.zed.zfs.Zfs;

/** Reads what a plan needs from ZFS. */
final class StateReader {
    private StateReader() {
    }

    static PropertyTable read(Zfs zfs, Deployment d) {
        return zfs.properties(d.pool().root(), true);
    }
}
