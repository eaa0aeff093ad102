package com.zed.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A BEAM release deployed into one of the deploy's datasets.
 *
 * @param environment extra environment for the release (literal or secret references)
 * @param preCommands commands run with the new release before it is switched to, each as
 *                    arguments to its {@code bin/<app>} script (e.g. {@code eval, "Mig.run()"})
 * @param distPort    fixed Erlang distribution port (so health checks can reach the node through a firewall or forward)
 */
public record AppSpec(String name, String dataset, String version, Optional<String> nodeName,
                      Optional<SecretRef> cookie, List<HealthCheckSpec> health, SourcePos pos,
                      SourcePos datasetPos, Map<String, EnvValue> environment, List<List<String>> preCommands,
                      OptionalInt distPort) {

    public AppSpec {
        health = List.copyOf(health);
        environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
        preCommands = preCommands.stream().map(List::copyOf).toList();
    }

    /** An app without extra environment, pre-commands or fixed distribution port. */
    public AppSpec(String name, String dataset, String version, Optional<String> nodeName,
                   Optional<SecretRef> cookie, List<HealthCheckSpec> health, SourcePos pos, SourcePos datasetPos) {
        this(name, dataset, version, nodeName, cookie, health, pos, datasetPos, Map.of(), List.of(), OptionalInt.empty());
    }
}
