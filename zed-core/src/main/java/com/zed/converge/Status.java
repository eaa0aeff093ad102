package com.zed.converge;

import com.zed.model.AppSpec;
import com.zed.model.DatasetSpec;
import com.zed.model.Deployment;
import com.zed.zfs.DatasetName;
import com.zed.zfs.PropertyTable;
import com.zed.zfs.Zfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What is on the pool now, per declared dataset, against what the script declares. */
public final class Status {
    private Status() {
    }

    public record DatasetStatus(String dataset, boolean exists, Optional<String> app, Optional<String> declaredVersion,
                                Optional<String> version, Optional<String> deployedAt, Optional<String> deployedBy,
                                int pendingSteps, Optional<String> ghosted, List<String> drift) { }

    /**
     * @param lock the pool's lock, with the transaction it journals; {@code needsAttention} when a rollback failed
     */
    public record Report(String deploy, String pool, List<DatasetStatus> datasets, Optional<PoolLock.State> lock,
                         Optional<History.Entry> lastDeploy, int pendingSteps) { }

    public static Report of(Zfs zfs, Deployment d) {
        return of(zfs, d, Planner.plan(d, StateReader.read(zfs, d)));
    }

    /** @param plan the plan against the pool and the apps as the target shows them (drift included) */
    public static Report of(Zfs zfs, Deployment d, Plan plan) {
        PropertyTable t = StateReader.read(zfs, d);
        var rows = new ArrayList<DatasetStatus>();
        for (DatasetSpec spec : d.datasets()) {
            DatasetName n = spec.in(d.pool());
            Optional<AppSpec> app = d.apps().stream().filter(a -> a.dataset().equals(spec.path())).findFirst();
            int pending = (int) plan.steps().stream().filter(s -> s.dataset().equals(n)).count();
            var have = t.of(n.value());
            rows.add(new DatasetStatus(n.value(), t.contains(n.value()), app.map(AppSpec::name),
                    app.map(AppSpec::version), Planner.ownVersion(have),
                    t.value(n.value(), ZedProperties.DEPLOYED_AT.value()),
                    t.value(n.value(), ZedProperties.DEPLOYED_BY.value()), pending,
                    t.value(n.value(), ZedProperties.GHOSTED.value()),
                    plan.steps().stream().filter(st -> st.dataset().equals(n) && st instanceof Step.DeployApp a && a.reconfigure())
                            .flatMap(st -> ((Step.DeployApp) st).reasons().stream()).toList()));
        }
        var history = History.of(zfs, d);
        return new Report(d.name(), d.pool().value(), rows, PoolLock.read(zfs, d.pool()),
                history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1)), plan.steps().size());
    }
}
