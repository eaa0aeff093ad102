package com.zed.converge;

import com.zed.zfs.DatasetName;
import com.zed.zfs.PropertyName;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One typed change in a plan. Steps are data; {@link Converger} executes them. */
public sealed interface Step permits Step.CreateDataset, Step.SetProperties, Step.DeployApp {

    DatasetName dataset();

    /** Create a dataset (and missing parents) with its declared properties. */
    record CreateDataset(DatasetName dataset, Map<PropertyName, String> properties) implements Step {
        public CreateDataset {
            properties = Map.copyOf(properties);
        }
    }

    /** Set properties whose actual value differs from the declared one. */
    record SetProperties(DatasetName dataset, List<PropertyChange> changes) implements Step {
        public SetProperties {
            changes = List.copyOf(changes);
        }
    }

    /** Record a new app version on its dataset (release unpack and switch join this step later). */
    record DeployApp(DatasetName dataset, String app, Optional<String> fromVersion, String toVersion) implements Step { }

    /**
     * One property going from its actual value ({@code from}, empty when unset; {@code fromSource}
     * as zfs reported it) to the declared {@code to}.
     */
    record PropertyChange(PropertyName property, Optional<String> from, String fromSource, String to) { }
}
