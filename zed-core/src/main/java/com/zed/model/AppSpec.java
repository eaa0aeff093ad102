package com.zed.model;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A BEAM release deployed into one of the deploy's datasets.
 *
 * @param environment       extra environment for the release (literal or secret references)
 * @param preCommands       commands run with the new release before it is switched to, each as
 *                          arguments to its {@code bin/<app>} script (e.g. {@code eval, "Mig.run()"})
 * @param distPort          fixed Erlang distribution port (so health checks can reach the node through a firewall or forward)
 * @param recordOnly        the version is only recorded in ZFS and no release is handled; without it an app needs a release
 * @param stableFor         after the first healthy round, how long every check must keep passing (with no checks:
 *                          how long the service must stay active without restarting) before the release counts as healthy
 * @param watch             after a deploy, how long a release that starts failing is still rolled back
 * @param preCommandTimeout how long each pre-command may run before it counts as failed
 * @param capabilities      Linux capabilities the app is granted, lower case without {@code CAP_}
 *                          ({@link #NET_BIND_SERVICE} to bind ports below 1024)
 */
public record AppSpec(String name, String dataset, String version, Optional<String> nodeName,
                      Optional<SecretRef> cookie, List<HealthCheckSpec> health, SourcePos pos,
                      SourcePos datasetPos, Map<String, EnvValue> environment, List<List<String>> preCommands,
                      OptionalInt distPort, boolean recordOnly, Duration stableFor, Optional<Duration> watch,
                      Duration preCommandTimeout, Set<String> capabilities) {

    /** A short window: long enough to catch a release that crashes right after start. */
    public static final Duration DEFAULT_STABLE_FOR = Duration.ofSeconds(5);
    public static final Duration DEFAULT_PRE_COMMAND_TIMEOUT = Duration.ofMinutes(5);
    /** The capability to bind ports below 1024. */
    public static final String NET_BIND_SERVICE = "net_bind_service";

    public AppSpec {
        health = List.copyOf(health);
        environment = Collections.unmodifiableMap(new TreeMap<>(environment));
        preCommands = preCommands.stream().map(List::copyOf).toList();
        Objects.requireNonNull(stableFor, "stableFor");
        Objects.requireNonNull(watch, "watch");
        Objects.requireNonNull(preCommandTimeout, "preCommandTimeout");
        capabilities = Collections.unmodifiableSet(new TreeSet<>(capabilities));
    }

    /** An app with the default release settings: a release is needed, short stability window, no watch. */
    public AppSpec(String name, String dataset, String version, Optional<String> nodeName,
                   Optional<SecretRef> cookie, List<HealthCheckSpec> health, SourcePos pos, SourcePos datasetPos,
                   Map<String, EnvValue> environment, List<List<String>> preCommands, OptionalInt distPort) {
        this(name, dataset, version, nodeName, cookie, health, pos, datasetPos, environment, preCommands, distPort,
                false, DEFAULT_STABLE_FOR, Optional.empty(), DEFAULT_PRE_COMMAND_TIMEOUT, Set.of());
    }

    /** An app without extra environment, pre-commands or fixed distribution port, with the default release settings. */
    public AppSpec(String name, String dataset, String version, Optional<String> nodeName,
                   Optional<SecretRef> cookie, List<HealthCheckSpec> health, SourcePos pos, SourcePos datasetPos) {
        this(name, dataset, version, nodeName, cookie, health, pos, datasetPos, Map.of(), List.of(), OptionalInt.empty());
    }

    /** May the app bind ports below 1024? Only when it declares {@link #NET_BIND_SERVICE}. */
    public boolean bindsLowPorts() {
        return capabilities.contains(NET_BIND_SERVICE);
    }
}
