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

    /** What one cluster host converges: its pool (if it names one), its environment over every app's. */
    public Deployment onHost(ClusterSpec.HostSpec host) {
        var pool = host.pool().map(PoolName::of).orElse(this.pool);
        var hostApps = apps.stream().map(a -> {
            if (host.env().isEmpty()) {
                return a;
            }
            var env = new java.util.TreeMap<String, EnvValue>(a.environment());
            host.env().forEach((k, v) -> env.put(k, new EnvValue.Literal(v)));
            return new AppSpec(a.name(), a.dataset(), a.version(), a.nodeName(), a.cookie(), a.health(), a.pos(),
                    a.datasetPos(), env, a.preCommands(), a.distPort(), a.recordOnly(), a.stableFor(), a.watch(),
                    a.preCommandTimeout(), a.capabilities());
        }).toList();
        return new Deployment(name, pool, datasets, hostApps, snapshots, jails, zones, cluster, pos, replications);
    }

    public Optional<DatasetSpec> dataset(String path) {
        return datasets.stream().filter(d -> d.path().equals(path)).findFirst();
    }

    public Optional<AppSpec> app(String name) {
        return apps.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
