package com.zed.converge;

import com.zed.model.DatasetSpec;
import com.zed.model.Deployment;
import com.zed.zfs.DatasetName;
import com.zed.zfs.PropertyName;
import com.zed.zfs.PropertyTable;
import com.zed.zfs.Zfs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads what a plan needs, and nothing else, in one {@code zfs get}: the deploy's datasets and their
 * ancestors (a dataset to create inherits from them; {@code create -p} makes the missing ones), only
 * the declared properties plus Zed's own, and the pool's lock. Its cost follows the deploy, not the pool.
 */
final class StateReader {
    /** Zed's own properties on a deploy's datasets, always read. */
    static final List<PropertyName> ZEDS = List.of(ZedProperties.DEPLOY, ZedProperties.APP, ZedProperties.VERSION,
            ZedProperties.GHOSTED, ZedProperties.APP_CONFIG, ZedProperties.DEPLOYED_AT, ZedProperties.DEPLOYED_BY,
            ZedProperties.SCRIPT_HASH, ZedProperties.CREATED_IN, ZedProperties.LOCK_TOKEN, PropertyName.of("mountpoint"));

    private StateReader() {
    }

    static PropertyTable read(Zfs zfs, Deployment d) {
        var names = new LinkedHashSet<String>();
        for (DatasetSpec spec : d.datasets()) {
            Optional<DatasetName> n = Optional.of(spec.in(d.pool()));
            while (n.isPresent()) {
                names.add(n.get().value());
                n = n.get().parent();
            }
        }
        names.add(PoolLock.lockName(d.pool()).value());
        var props = new TreeSet<PropertyName>(ZEDS);
        d.datasets().forEach(s -> props.addAll(s.properties().keySet()));
        return zfs.properties(new ArrayList<>(names), new ArrayList<>(props));
    }

    /** Whether the read found the pool locked (an interrupted transaction, or one running now). */
    static boolean locked(PropertyTable state, Deployment d) {
        return state.contains(PoolLock.lockName(d.pool()).value());
    }
}
