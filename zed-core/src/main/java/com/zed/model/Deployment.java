package com.zed.model;

import com.zed.zfs.PoolName;

import java.util.List;
import java.util.Optional;

/** Everything one deploy script declares: the desired state of one pool. Immutable. */
public record Deployment(String name, PoolName pool, List<DatasetSpec> datasets, List<AppSpec> apps,
                         SnapshotPolicy snapshots, List<JailSpec> jails, List<ZoneSpec> zones,
                         Optional<ClusterSpec> cluster, SourcePos pos, List<ReplicationSpec> replications) {

    public Deployment {
        replications = List.copyOf(replications);
        datasets = List.copyOf(datasets);
        apps = List.copyOf(apps);
        jails = List.copyOf(jails);
        zones = List.copyOf(zones);
    }

    /** Without replication (the shape before {@code replicate} existed). */
    public Deployment(String name, PoolName pool, List<DatasetSpec> datasets, List<AppSpec> apps,
                      SnapshotPolicy snapshots, List<JailSpec> jails, List<ZoneSpec> zones,
                      Optional<ClusterSpec> cluster, SourcePos pos) {
        this(name, pool, datasets, apps, snapshots, jails, zones, cluster, pos, List.of());
    }

    public Optional<DatasetSpec> dataset(String path) {
        return datasets.stream().filter(d -> d.path().equals(path)).findFirst();
    }

    public Optional<AppSpec> app(String name) {
        return apps.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
