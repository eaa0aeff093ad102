package com.zed.model;

import java.util.List;
import java.util.Optional;

/** A BEAM release deployed into one of the deploy's datasets. */
public record AppSpec(String name, String dataset, String version, Optional<String> nodeName,
                      Optional<SecretRef> cookie, List<HealthCheckSpec> health, SourcePos pos,
                      SourcePos datasetPos) {

    public AppSpec {
        health = List.copyOf(health);
    }
}
