package com.zed.model;

import com.zed.zfs.DatasetName;
import com.zed.zfs.PoolName;
import com.zed.zfs.PropertyName;

import java.util.Map;
import java.util.TreeMap;

/**
 * A dataset the deploy owns, by path relative to the pool ({@code apps/exmc}), with the
 * properties it must have (ZFS vocabulary: {@code compression=lz4}, {@code quota=10G}).
 */
public record DatasetSpec(String path, Map<PropertyName, String> properties, SourcePos pos) {

    public DatasetSpec {
        properties = java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    public DatasetName in(PoolName pool) {
        return pool.root().child(path);
    }
}
