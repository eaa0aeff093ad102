package com.zed.cli;

import com.zed.cluster.ClusterHost;
import com.zed.cluster.ClusterRun;
import com.zed.cluster.HostReport;
import com.zed.converge.Converger;
import com.zed.converge.Plan;
import com.zed.converge.PlanFormat;
import com.zed.converge.Rollback;
import com.zed.exec.CommandRunner;
import com.zed.exec.SshRunner;
import com.zed.model.ClusterSpec;
import com.zed.model.Deployment;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code zed run} and {@code zed diff} of a script with a {@code cluster} block and no explicit target:
 * every selected host over SSH, planned together, then converged by the {@link ClusterRun}
 * coordinator. The wiring of each host (runner, ZFS, platform, releases) is the single-host one.
 */
final class ClusterMode {

    /** Which hosts of the cluster this run covers. */
    static final class Selection {
        @Option(names = "--label", paramLabel = "LABEL",
                description = "Only the cluster's hosts carrying this label (repeat: all of them).")
        List<String> labels = new ArrayList<>();

        @Option(names = "--host", paramLabel = "NAME", description = "Only this host of the cluster (repeatable).")
        List<String> hosts = new ArrayList<>();
    }

    /** What a host needs from the command: a runner for it, and the single-host tools around one. */
    interface Wiring {
        CommandRunner connect(ClusterSpec.HostSpec host);

        Converger converger(CommandRunner runner, Consumer<String> progress);

        Rollback.Result rollback(CommandRunner runner, Deployment d, String snapshot, Consumer<String> progress);

        /** Recovers an interrupted transaction this very process left on the host (it knows its converge has ended). */
        java.util.Optional<com.zed.converge.Recovery.Result> recoverOwn(CommandRunner runner, Deployment d,
                                                                        Consumer<String> progress);

        List<com.zed.converge.History.Entry> history(CommandRunner runner, Deployment d);
    }

    private ClusterMode() {
    }

    static List<ClusterSpec.HostSpec> hosts(ClusterSpec c, Selection s, picocli.CommandLine cmd) {
        c = DiscoverCommand.expand(c, cmd); // discover: the hosts that answer over mDNS, after the declared ones
        for (String h : s.hosts) {
            if (c.hosts().stream().noneMatch(x -> x.name().equals(h))) {
                throw new picocli.CommandLine.ParameterException(cmd, "cluster '" + c.name() + "' has no host '" + h + "'");
            }
        }
        var out = c.select(s.labels, s.hosts);
        if (out.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(cmd, "no host of cluster '" + c.name() + "' carries "
                    + String.join(" and ", s.labels));
        }
        return out;
    }

    static List<ClusterHost> remote(Deployment d, List<ClusterSpec.HostSpec> hosts, Wiring wiring,
                                    Consumer<String> progress, Converger.Options options) {
        return hosts.stream().map(h -> (ClusterHost) new RemoteHost(h, d.onHost(h),
                wiring, line -> progress.accept("[" + h.name() + "] " + line), options)).toList();
    }

    /** The combined plan: each host's, under its name. */
    static String text(ClusterRun.Plans plans) {
        var b = new StringBuilder();
        plans.plans().forEach((host, plan) -> {
            b.append("== ").append(host).append(" (pool ").append(plan.pool()).append(")\n");
            b.append(PlanFormat.text(plan));
        });
        plans.unreachable().forEach((host, why) -> b.append("== ").append(host).append(": UNREACHABLE: ").append(why).append('\n'));
        return b.toString();
    }

    static Map<String, Object> json(ClusterRun.Plans plans) {
        var m = new LinkedHashMap<String, Object>();
        plans.plans().forEach((host, plan) -> m.put(host, PlanFormat.json(plan)));
        var un = new LinkedHashMap<String, Object>();
        plans.unreachable().forEach(un::put);
        var out = new LinkedHashMap<String, Object>();
        out.put("hosts", m);
        out.put("unreachable", un);
        return out;
    }

    static String text(ClusterSpec c, ClusterRun.Report r) {
        var b = new StringBuilder();
        b.append(String.format("Cluster %s: %s / %s, %d at a time%n", c.name(), r.settings().strategy().word(),
                r.settings().fallback().word(), r.settings().parallel()));
        int w = r.hosts().stream().mapToInt(h -> h.host().length()).max().orElse(4);
        for (HostReport h : r.hosts()) {
            b.append(String.format("  %-" + w + "s  %-15s %s%s%n", h.host(), h.outcome().word(),
                    h.snapshot().filter(x -> h.outcome() == HostReport.Outcome.UPDATED).map(x -> "@" + x + " ").orElse(""),
                    h.error().orElse("")));
        }
        return b.toString();
    }

    static Map<String, Object> json(ClusterSpec c, ClusterRun.Report r) {
        var m = new LinkedHashMap<String, Object>();
        m.put("cluster", c.name());
        m.put("strategy", r.settings().strategy().word());
        m.put("fallback", r.settings().fallback().word());
        m.put("parallel", r.settings().parallel());
        m.put("firstFailure", r.firstFailure().orElse(null));
        var hosts = new ArrayList<Map<String, Object>>();
        for (HostReport h : r.hosts()) {
            var x = new LinkedHashMap<String, Object>();
            x.put("host", h.host());
            x.put("outcome", h.outcome().word());
            x.put("snapshot", h.snapshot().orElse(null));
            x.put("error", h.error().orElse(null));
            x.put("millis", h.millis());
            hosts.add(x);
        }
        m.put("hosts", hosts);
        m.put("ok", r.ok());
        return m;
    }

    /** 0: every host updated or unchanged; 3: a failure, and every host on a known version; 1: a host needs recovery. */
    static int exitCode(ClusterRun.Report r) {
        return r.ok() ? Main.OK : r.known() ? Main.ROLLED_BACK : Main.ERROR;
    }

    /** One host: the single-host converge over its own SSH session, opened at planning and kept. */
    static final class RemoteHost implements ClusterHost {
        private final ClusterSpec.HostSpec spec;
        private final Deployment deployment;
        private final Wiring wiring;
        private final Consumer<String> progress;
        private final Converger.Options options;
        private CommandRunner runner;
        private Converger converger;
        private Converger.Preview preview;

        RemoteHost(ClusterSpec.HostSpec spec, Deployment deployment, Wiring wiring, Consumer<String> progress,
                   Converger.Options options) {
            this.spec = spec;
            this.deployment = deployment;
            this.wiring = wiring;
            this.progress = progress;
            this.options = options;
        }

        @Override
        public String name() {
            return spec.name();
        }

        @Override
        public Plan plan() {
            return lost(() -> {
                runner = wiring.connect(spec);
                converger = wiring.converger(runner, progress);
                preview = converger.preview(deployment);
                return preview.plan();
            });
        }

        @Override
        public Converger.Result converge() {
            Converger.Result r = lost(() -> converger.converge(deployment, options, preview));
            r.recovered().ifPresent(x -> progress.accept("recovered an interrupted " + x.kind() + " (" + x.txn()
                    + ", stopped at '" + x.phase() + "'): " + x.outcome()));
            return r;
        }

        @Override
        public void rollback(String snapshot) {
            lost(() -> wiring.rollback(runner, deployment, snapshot, progress));
        }

        @Override
        public HostReport.Outcome reconcile(java.time.Instant since, boolean rollback) {
            return lost(() -> {
                if (runner != null) {
                    runner.close();
                }
                runner = wiring.connect(spec);
                wiring.recoverOwn(runner, deployment, progress)
                        .ifPresent(x -> progress.accept("recovered the interrupted " + x.kind() + " (" + x.txn() + "): " + x.outcome()));
                var committed = wiring.history(runner, deployment).stream()
                        .filter(e -> e.result().equals("ok") && after(e.at(), since)).reduce((a, b) -> b);
                if (committed.isEmpty()) {
                    return HostReport.Outcome.FAILED;
                }
                if (!rollback) {
                    return HostReport.Outcome.UPDATED;
                }
                wiring.rollback(runner, deployment, committed.get().snapshot(), progress);
                return HostReport.Outcome.ROLLED_BACK;
            });
        }

        private static boolean after(String at, java.time.Instant since) {
            try {
                return !java.time.Instant.parse(at).isBefore(since.minusSeconds(1));
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }

        @Override
        public void close() {
            if (runner != null) {
                runner.close();
            }
        }

        /** Failures of the SSH layer become {@link HostLostException}: the host, not the deploy, failed. */
        private <T> T lost(java.util.function.Supplier<T> body) {
            try {
                return body.get();
            } catch (RuntimeException e) {
                if (transport(e)) {
                    throw new HostLostException(spec.name() + " (" + spec.ssh() + "): " + e.getMessage(), e);
                }
                throw e;
            }
        }

        private static boolean transport(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SshRunner.SshException || t instanceof UncheckedIOException
                        || t instanceof java.net.SocketException) {
                    return true;
                }
            }
            return false;
        }
    }
}
