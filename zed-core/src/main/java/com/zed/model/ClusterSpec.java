package com.zed.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Several hosts deployed together from one script: in declared order, {@code parallel} at a time,
 * with a {@code strategy} (which hosts a failure's fallback reaches) and a {@code fallback} (what is
 * done to them). Values are kept as written; the {@link Validator} checks them, and
 * {@link #strategyKind()} / {@link #fallbackKind()} read them once it has.
 */
public record ClusterSpec(String name, List<HostSpec> hosts, String strategy, String fallback, int parallel,
                          Optional<Discover> discover, SourcePos pos) {
    public static final String DEFAULT_STRATEGY = "one4all";
    public static final String DEFAULT_FALLBACK = "rollback";

    public ClusterSpec {
        hosts = List.copyOf(hosts);
        java.util.Objects.requireNonNull(discover, "discover");
    }

    /** A cluster of declared hosts only. */
    public ClusterSpec(String name, List<HostSpec> hosts, String strategy, String fallback, int parallel, SourcePos pos) {
        this(name, hosts, strategy, fallback, parallel, Optional.empty(), pos);
    }

    /** The same cluster with {@code more} hosts after the declared ones (discovered hosts). */
    public ClusterSpec withHosts(List<HostSpec> more) {
        var all = new java.util.ArrayList<>(hosts);
        all.addAll(more);
        return new ClusterSpec(name, all, strategy, fallback, parallel, discover, pos);
    }

    /**
     * {@code discover}: hosts that announce the DNS-SD {@code service} over mDNS, browsed for
     * {@code waitMillis} before a run, and taken when they carry every one of {@code labels}.
     */
    public record Discover(String service, List<String> labels, int waitMillis, SourcePos pos) {
        public static final String DEFAULT_SERVICE = "_zed._tcp.local.";
        public static final int DEFAULT_WAIT_MILLIS = 3000;

        public Discover {
            labels = List.copyOf(labels);
        }
    }

    /** Which hosts the fallback reaches when one host fails. */
    public enum Strategy {
        /** Every host of the run, those already updated included. */
        ONE4ALL,
        /** The hosts not yet updated (and those still in flight). */
        ONE4REST,
        /** Only the host that failed. */
        ONE4ONE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What is done to the hosts a failure reaches. */
    public enum Fallback {
        /** Return them to their before-deploy snapshot; start no further host (except one4one). */
        ROLLBACK,
        /** Carry on. */
        IGNORE,
        /** Start no further host; leave finished ones as they are. */
        STOP;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Strategy strategyKind() {
        return Strategy.valueOf(strategy.toUpperCase(Locale.ROOT));
    }

    public Fallback fallbackKind() {
        return Fallback.valueOf(fallback.toUpperCase(Locale.ROOT));
    }

    /** Hosts carrying every one of {@code labels} (all hosts when none is given), in declared order. */
    public List<HostSpec> select(List<String> labels, List<String> names) {
        return hosts.stream()
                .filter(h -> h.labels().containsAll(labels))
                .filter(h -> names.isEmpty() || names.contains(h.name()))
                .toList();
    }

    /**
     * One host: a name, how to reach it ({@code ssh}: an alias from the SSH config, or
     * {@code [user@]host[:port]}), free-form labels ({@code prod}, {@code eu}), the pool to deploy
     * to when it is not the deploy's own, and environment its apps get on this host only (literal values,
     * over the app's own: a node's address, a zone name).
     */
    public record HostSpec(String name, String ssh, List<String> labels, Optional<String> pool,
                           Map<String, String> env, SourcePos pos) {
        public HostSpec {
            labels = List.copyOf(labels);
            env = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(env));
        }

        public HostSpec(String name, String ssh, List<String> labels, Optional<String> pool, SourcePos pos) {
            this(name, ssh, labels, pool, Map.of(), pos);
        }
    }
}
