package com.zed.cli;

import com.zed.converge.Converger;
import com.zed.converge.Plan;
import com.zed.converge.PlanFormat;
import com.zed.exec.CommandRunner;
import com.zed.model.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.LinkedHashMap;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Converge the host to the deploy script: plan, snapshot, apply, verify.",
                "On any failure the host is rolled back to the before-deploy snapshot (exit 3)."})
final class RunCommand extends ScriptCommand {

    @Option(names = "--dry-run", description = "Plan only, like `zed diff`.")
    boolean dryRun;

    @picocli.CommandLine.Mixin
    ReleaseOptions releases;

    @Option(names = "--force", description = "Deploy a version even though it failed its health check before (ghosted).")
    boolean force;

    @picocli.CommandLine.Mixin
    ClusterMode.Selection selection;

    @Override
    int execute() {
        Deployment d = deployment();
        if (clusterRun(d)) {
            return cluster(d);
        }
        try (CommandRunner runner = open()) {
            var zfs = zfs(runner);
            var converger = new Converger(zfs, Clock.systemUTC(), actor(), this::progress, runtimes(runner, releases));
            long t0 = System.nanoTime();
            Converger.Preview look = converger.preview(d);
            Plan preview = look.plan();
            if (dryRun) {
                printPlan(preview);
                return Main.OK;
            }
            if (!json) {
                // Show what will happen before it happens; converge re-plans under the lock.
                printPlan(preview);
                if (preview.isEmpty() && !look.locked()) {
                    return Main.OK;
                }
            }
            Converger.Result r = stoppable(() -> converger.converge(d, new Converger.Options(scriptHash(), force), look));
            printRecovered(r.recovered());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (json) {
                var m = new LinkedHashMap<String, Object>();
                m.put("outcome", r.outcome().name().toLowerCase());
                m.put("plan", PlanFormat.json(r.plan()));
                m.put("snapshot", r.snapshot().orElse(null));
                m.put("pruned", r.pruned().stream().map(Object::toString).toList());
                m.put("error", r.error().orElse(null));
                m.put("recovered", r.recovered().orElse(null));
                m.put("millis", ms);
                printJson(m);
            } else {
                switch (r.outcome()) {
                    case NO_CHANGES -> out().println("Nothing left to do: another run converged the pool meanwhile.");
                    case APPLIED -> out().printf("Applied in %d ms%s.%n", ms,
                            r.snapshot().map(s -> "; rollback point @" + s).orElse(""));
                    case ROLLED_BACK -> err().printf("FAILED: %s%nRolled back%s: the host is as it was before.%n",
                            r.error().orElse("?"), r.snapshot().map(s -> " to @" + s).orElse(""));
                }
            }
            out().flush();
            err().flush();
            return r.outcome() == Converger.Outcome.ROLLED_BACK ? Main.ROLLED_BACK : Main.OK;
        }
    }

    /** Every selected host of the script's cluster: one combined plan, then the coordinator. */
    private int cluster(Deployment d) {
        var c = d.cluster().orElseThrow();
        var hosts = ClusterMode.remote(d, ClusterMode.hosts(c, selection, spec.commandLine()), wiring(releases),
                this::progress, new Converger.Options(scriptHash(), force));
        try {
            var run = new com.zed.cluster.ClusterRun(hosts,
                    new com.zed.cluster.ClusterRun.Settings(c.strategyKind(), c.fallbackKind(), c.parallel()), this::progress);
            var plans = run.plan();
            if (dryRun) {
                if (json) {
                    printJson(ClusterMode.json(plans));
                } else {
                    out().print(ClusterMode.text(plans));
                    out().flush();
                }
                return plans.unreachable().isEmpty() ? Main.OK : Main.ERROR;
            }
            if (!json) {
                out().print(ClusterMode.text(plans));
                out().flush();
            }
            var report = stoppable(() -> run.apply(plans));
            if (json) {
                printJson(ClusterMode.json(c, report));
            } else {
                out().print(ClusterMode.text(c, report));
                out().flush();
            }
            return ClusterMode.exitCode(report);
        } finally {
            hosts.forEach(com.zed.cluster.ClusterHost::close);
        }
    }
}
