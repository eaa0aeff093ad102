package com.zed.support

import com.zed.model.AppSpec
import com.zed.model.DatasetSpec
import com.zed.model.Deployment
import com.zed.model.HealthCheckSpec
import com.zed.model.SnapshotPolicy
import com.zed.model.SourcePos
import com.zed.zfs.PoolName
import com.zed.zfs.PropertyName

/** Builds model records for specs, without the DSL (the DSL has its own specs). */
class Models {
    static final SourcePos POS = new SourcePos('spec.groovy', 1, 1)

    static DatasetSpec dataset(String path, Map<String, String> props = [:]) {
        new DatasetSpec(path, props.collectEntries { k, v -> [(PropertyName.of(k)): v] } as Map<PropertyName, String>, POS)
    }

    static AppSpec app(String name, String dataset, String version) {
        new AppSpec(name, dataset, version, Optional.empty(), Optional.empty(), [], POS, POS)
    }

    static Deployment deployment(String name, String pool, List<DatasetSpec> datasets, List<AppSpec> apps = [],
                                 int keep = 5, boolean beforeDeploy = true) {
        new Deployment(name, PoolName.of(pool), datasets, apps, new SnapshotPolicy(beforeDeploy, keep, POS), [], [],
                Optional.empty(), POS)
    }

    /** `zfs get -Hp -o name,property,value,source` lines, as recorded from OpenZFS. */
    static String getOutput(List<List<String>> rows) {
        rows.collect { it.join('\t') }.join('\n') + '\n'
    }
}
