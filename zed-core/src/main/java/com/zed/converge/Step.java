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

    /**
     * Deploy an app's release: a new version, or the same one again because what runs differs from
     * what is declared ({@code reasons}: readable, secret-free lines such as
     * {@code environment PORT 9103 → 9104} or {@code RELEASE_COOKIE (secret changed)}).
     */
    record DeployApp(DatasetName dataset, String app, Optional<String> fromVersion, String toVersion,
                     List<String> reasons, boolean recordOnly) implements Step {
        public DeployApp {
            reasons = List.copyOf(reasons);
        }

        public DeployApp(DatasetName dataset, String app, Optional<String> fromVersion, String toVersion) {
            this(dataset, app, fromVersion, toVersion, List.of(), false);
        }

        /** Same version, redeployed to repair drift or apply a changed configuration. */
        public boolean reconfigure() {
            return fromVersion.filter(toVersion::equals).isPresent();
        }
    }

    /**
     * One property going from its actual value ({@code from}, empty when unset; {@code fromSource}
     * as zfs reported it) to the declared {@code to}.
     */
    record PropertyChange(PropertyName property, Optional<String> from, String fromSource, String to) { }
}
