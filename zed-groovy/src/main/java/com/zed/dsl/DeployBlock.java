package com.zed.dsl;

import com.zed.model.Deployment;
import com.zed.model.Field;
import com.zed.model.JailSpec;
import com.zed.model.SnapshotPolicy;
import com.zed.model.SourcePos;
import com.zed.model.ZoneSpec;
import com.zed.zfs.PoolName;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code deploy('name', pool: 'tank') { ... }}: what the deploy owns. */
public final class DeployBlock {
    private final ScriptState state;
    private final String name;
    private final PoolName pool;
    final SourcePos pos;
    final Declared declared;
    private final List<DatasetBlock> datasets = new ArrayList<>();
    private final List<AppBlock> apps = new ArrayList<>();
    private final List<GuestBlock> guests = new ArrayList<>();
    private SnapshotsBlock snapshots;
    private ClusterBlock cluster;
    private final List<ReplicateBlock> replications = new ArrayList<>();

    DeployBlock(ScriptState state, String name, PoolName pool, SourcePos pos) {
        this.state = state;
        this.name = name;
        this.pool = pool;
        this.pos = pos;
        this.declared = new Declared(state);
    }

    /** A dataset the deploy owns, by path relative to the pool, with the properties it must have. */
    @Usage("dataset('apps/name') { compression 'lz4' ... }")
    public void dataset(String path,
                        @DelegatesTo(value = DatasetBlock.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        SourcePos at = state.pos("dataset");
        var ds = new DatasetBlock(state, path, at);
        datasets.add(ds);
        Blocks.run(body, ds);
    }

    /** A dataset with no properties of its own (it inherits them). */
    @Usage("dataset('apps/name')")
    public void dataset(String path) {
        dataset(path, null);
    }

    /** A BEAM release living in one of the deploy's datasets. */
    @Usage("app('name') { dataset 'apps/name'; version '1.0.0' ... }")
    public void app(String name, @DelegatesTo(value = AppBlock.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        var app = new AppBlock(state, name, state.pos("app"));
        apps.add(app);
        Blocks.run(body, app);
    }

    /** When Zed snapshots; without this block: before every deploy, keeping 10. */
    @Usage("snapshots { beforeDeploy true; keep 10 }")
    public void snapshots(@DelegatesTo(value = SnapshotsBlock.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        SourcePos at = state.pos("snapshots");
        if (!declared.add(Field.of("snapshots"), at, body)) {
            return; // the Validator reports the second block; its contents are not read
        }
        snapshots = new SnapshotsBlock(state, at);
        Blocks.run(body, snapshots);
    }

    /** A FreeBSD jail holding some of the apps. */
    @Usage("jail('name') { dataset 'jails/name'; contains 'app' }")
    public void jail(String name, @DelegatesTo(value = JailBlock.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        var j = new JailBlock(state, name, state.pos("jail"));
        guests.add(j);
        Blocks.run(body, j);
    }

    /** An illumos zone holding some of the apps. */
    @Usage("zone('name') { dataset 'zones/name'; contains 'app' }")
    public void zone(String name, @DelegatesTo(value = ZoneBlock.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        var z = new ZoneBlock(state, name, state.pos("zone"));
        guests.add(z);
        Blocks.run(body, z);
    }

    /** Several hosts deployed together. */
    @Usage("cluster('name') { host 'a', ssh: 'root@10.0.0.1'; strategy 'rolling' }")
    public void cluster(String name, @DelegatesTo(value = ClusterBlock.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        SourcePos at = state.pos("cluster");
        if (!declared.add(Field.of("cluster"), at, name)) {
            return; // the Validator reports the second cluster; its contents are not read
        }
        cluster = new ClusterBlock(state, name, at);
        Blocks.run(body, cluster);
    }

    /** A dataset of this pool to replicate to another host or pool, with {@code zed replicate}. */
    @Usage("replicate('apps/name') { to 'dr', dataset: 'backup/name'; keep 10 }")
    public void replicate(String dataset,
                          @DelegatesTo(value = ReplicateBlock.class, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        var r = new ReplicateBlock(state, dataset, state.pos("replicate"));
        replications.add(r);
        Blocks.run(body, r);
    }

    /** The model; with an unusable pool name a stand-in pool, so the rest can still be validated. */
    Deployment build() {
        return declared.to(new Deployment(name, pool != null ? pool : PoolName.of("pool"),
                datasets.stream().map(DatasetBlock::build).toList(),
                apps.stream().map(AppBlock::build).toList(),
                snapshots != null ? snapshots.build() : SnapshotPolicy.DEFAULT,
                guests.stream().filter(g -> g instanceof JailBlock)
                        .map(g -> g.declared.to(new JailSpec(g.name, g.dataset, g.apps, g.params, g.pos))).toList(),
                guests.stream().filter(g -> g instanceof ZoneBlock)
                        .map(g -> g.declared.to(new ZoneSpec(g.name, g.dataset, g.apps, g.params, g.pos))).toList(),
                Optional.ofNullable(cluster).map(ClusterBlock::build), pos,
                replications.stream().map(ReplicateBlock::build).toList()));
    }
}
