package com.zed.support

import com.zed.model.AppSpec
import com.zed.model.DatasetSpec
import com.zed.model.Deployment
import com.zed.model.EnvValue
import com.zed.model.HealthCheckSpec
import com.zed.model.SecretRef
import com.zed.model.SnapshotPolicy
import com.zed.model.SourcePos
import com.zed.zfs.PoolName
import com.zed.zfs.PropertyName

import java.time.Duration

/** Builds model records for specs, without the DSL (the DSL has its own specs). */
class Models {
    static final SourcePos POS = new SourcePos('spec.groovy', 1, 1)

    static DatasetSpec dataset(String path, Map<String, String> props = [:]) {
        new DatasetSpec(path, props.collectEntries { k, v -> [(PropertyName.of(k)): v] } as Map<PropertyName, String>, POS)
    }

    static AppSpec app(String name, String dataset, String version) {
        new AppSpec(name, dataset, version, Optional.empty(), Optional.empty(), [], POS, POS)
    }

    /**
     * An app with some settings given by name ({@code app('web', 'apps/web', '1.0', recordOnly: true)}):
     * nodeName, cookie, health, environment, preCommands, distPort, recordOnly, stableFor, watch,
     * preCommandTimeout, capabilities; the rest take AppSpec's defaults.
     */
    static AppSpec app(Map settings, String name, String dataset, String version) {
        def known = ['nodeName', 'cookie', 'health', 'environment', 'preCommands', 'distPort', 'recordOnly', 'stableFor',
                     'watch', 'preCommandTimeout', 'capabilities'] as Set
        assert known.containsAll(settings.keySet())
        new AppSpec(name, dataset, version, Optional.ofNullable(settings.nodeName as String),
                Optional.ofNullable(settings.cookie as SecretRef), (settings.health ?: []) as List<HealthCheckSpec>, POS, POS,
                (settings.environment ?: [:]) as Map<String, EnvValue>, (settings.preCommands ?: []) as List<List<String>>,
                settings.distPort == null ? OptionalInt.empty() : OptionalInt.of(settings.distPort as int),
                settings.recordOnly as boolean, (settings.stableFor ?: AppSpec.DEFAULT_STABLE_FOR) as Duration,
                Optional.ofNullable(settings.watch as Duration),
                (settings.preCommandTimeout ?: AppSpec.DEFAULT_PRE_COMMAND_TIMEOUT) as Duration,
                (settings.capabilities ?: []) as Set<String>)
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
