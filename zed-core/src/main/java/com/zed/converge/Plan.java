package com.zed.converge;

import com.zed.zfs.DatasetName;
import com.zed.zfs.PoolName;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The ordered steps that take a pool from its actual state to the declared one. Empty = converged. */
public record Plan(String deploy, PoolName pool, List<Step> steps) {

    public Plan {
        steps = List.copyOf(steps);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** Datasets that exist and will change: these are snapshotted before anything runs. */
    public Set<DatasetName> existingAffected() {
        var out = new LinkedHashSet<DatasetName>();
        var created = created();
        for (Step s : steps) {
            if (!(s instanceof Step.CreateDataset) && !created.contains(s.dataset())) {
                out.add(s.dataset());
            }
        }
        return out;
    }

    /** Datasets the plan creates; a failed apply destroys them again. */
    public Set<DatasetName> created() {
        var out = new LinkedHashSet<DatasetName>();
        steps.stream().filter(s -> s instanceof Step.CreateDataset).forEach(s -> out.add(s.dataset()));
        return out;
    }

    public long count(Class<? extends Step> kind) {
        return steps.stream().filter(kind::isInstance).count();
    }

    /** One line for the audit log: {@code +2 datasets; exmc 1.4.1→1.4.2; ~compression}. */
    public String summary() {
        var parts = new java.util.ArrayList<String>();
        long created = count(Step.CreateDataset.class);
        if (created > 0) {
            parts.add("+" + created + " dataset" + (created == 1 ? "" : "s"));
        }
        for (Step s : steps) {
            if (s instanceof Step.DeployApp a) {
                parts.add(a.reconfigure() ? a.app() + " " + a.toVersion() + " redeployed (" + a.reasons().size() + " change"
                        + (a.reasons().size() == 1 ? "" : "s") + ")"
                        : a.app() + " " + a.fromVersion().orElse("none") + "→" + a.toVersion());
            }
        }
        var props = new java.util.TreeSet<String>();
        steps.stream().filter(s -> s instanceof Step.SetProperties)
                .flatMap(s -> ((Step.SetProperties) s).changes().stream())
                .forEach(c -> props.add(c.property().value()));
        if (!props.isEmpty()) {
            parts.add("~" + String.join(",", props));
        }
        String s = String.join("; ", parts);
        return s.length() > 1000 ? s.substring(0, 1000) + "…" : s;
    }
}
