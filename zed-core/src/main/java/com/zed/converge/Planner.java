package com.zed.converge;

import com.zed.model.AppSpec;
import com.zed.model.DatasetSpec;
import com.zed.model.Deployment;
import com.zed.zfs.DatasetName;
import com.zed.zfs.Property;
import com.zed.zfs.PropertyName;
import com.zed.zfs.PropertySource;
import com.zed.zfs.PropertyTable;
import com.zed.zfs.PropertyValues;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure heart of converge: (declared deployment, actual properties of the pool) → plan.
 *
 * <p>Values are compared in canonical form ({@link PropertyValues#canonical}): a change is planned
 * when the <em>effective</em> value differs, whatever its source. A declared {@code compression=lz4}
 * that the dataset already inherits as lz4 is not a change — behaviour is the same — and a value
 * that arrived by {@code zfs receive} counts like a local one.
 */
public final class Planner {
    private Planner() {
    }

    public static Plan plan(Deployment d, PropertyTable actual) {
        return plan(d, actual, Map.of());
    }

    /**
     * @param apps each app as its target shows it ({@link AppState}); an app missing here is judged by
     *             its recorded version alone
     */
    public static Plan plan(Deployment d, PropertyTable actual, Map<String, AppState> apps) {
        var steps = new ArrayList<Step>();
        var byDataset = new LinkedHashMap<String, AppSpec>();
        d.apps().forEach(a -> byDataset.put(a.dataset(), a));

        // Parents before children, so a create never depends on a later one.
        var datasets = new ArrayList<>(d.datasets());
        datasets.sort(Comparator.comparingInt((DatasetSpec s) -> s.path().split("/").length).thenComparing(DatasetSpec::path));

        for (DatasetSpec spec : datasets) {
            DatasetName name = spec.in(d.pool());
            Map<PropertyName, String> desired = new LinkedHashMap<>(spec.properties());
            desired.put(ZedProperties.DEPLOY, d.name());
            AppSpec app = byDataset.get(spec.path());
            if (app != null) {
                desired.put(ZedProperties.APP, app.name());
            }

            if (!actual.contains(name.value())) {
                steps.add(new Step.CreateDataset(name, desired));
                if (app != null) {
                    steps.add(new Step.DeployApp(name, app.name(), Optional.empty(), app.version(), List.of(), app.recordOnly()));
                }
                continue;
            }
            Map<PropertyName, Property> have = actual.of(name.value());
            var changes = new ArrayList<Step.PropertyChange>();
            desired.forEach((prop, want) -> {
                Property p = have.get(prop);
                boolean unset = p == null || (prop.isUser() && !p.hasValue());
                if (unset || !PropertyValues.same(prop, p.value(), want)) {
                    changes.add(new Step.PropertyChange(prop, unset ? Optional.empty() : Optional.of(p.value()),
                            p == null ? "-" : p.source().toString(), want));
                }
            });
            if (!changes.isEmpty()) {
                steps.add(new Step.SetProperties(name, changes));
            }
            if (app != null) {
                Optional<String> current = ownVersion(have);
                if (current.isEmpty() || !current.get().equals(app.version())) {
                    steps.add(new Step.DeployApp(name, app.name(), current, app.version(), List.of(), app.recordOnly()));
                } else {
                    var reasons = drift(app, have, apps.getOrDefault(app.name(), AppState.UNOBSERVED));
                    if (!reasons.isEmpty()) {
                        steps.add(new Step.DeployApp(name, app.name(), current, app.version(), reasons, app.recordOnly()));
                    }
                }
            }
        }
        return new Plan(d.name(), d.pool(), steps);
    }

    /**
     * Why an app whose recorded version is the declared one must be deployed again: the target runs
     * or links something else, its generated files drifted, or its recorded configuration changed.
     */
    static List<String> drift(AppSpec app, Map<PropertyName, Property> have, AppState state) {
        var out = new ArrayList<String>();
        String recorded = Optional.ofNullable(have.get(ZedProperties.APP_CONFIG)).filter(Property::hasValue)
                .map(Property::value).orElse("");
        AppConfig.diff(recorded, AppConfig.of(app)).forEach(out::add);
        if (state.observed()) {
            if (state.linked().isEmpty()) {
                out.add("current links no release (declared " + app.version() + ")");
            } else if (!state.linked().get().equals(app.version())) {
                out.add("current → releases/" + state.linked().get() + " (declared " + app.version() + ")");
            }
            if (!state.service().equals("active")) {
                out.add("service is " + state.service());
            } else if (state.running().isPresent() && !state.running().get().equals(app.version())) {
                out.add("service runs " + state.running().get() + " (declared " + app.version() + ")");
            }
            out.addAll(state.drift());
        }
        return out;
    }

    /**
     * The version recorded on the dataset itself. A version inherited from a parent belongs to
     * another app's dataset and does not count.
     */
    static Optional<String> ownVersion(Map<PropertyName, Property> have) {
        Property v = have.get(ZedProperties.VERSION);
        if (v == null || !v.hasValue() || v.source().kind() == PropertySource.Kind.INHERITED) {
            return Optional.empty();
        }
        return Optional.of(v.value());
    }
}
