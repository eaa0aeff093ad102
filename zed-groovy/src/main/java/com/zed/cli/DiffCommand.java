package com.zed.cli;

import com.zed.converge.Converger;
import com.zed.converge.Plan;
import com.zed.exec.CommandRunner;
import com.zed.model.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Show the plan: what `zed run` would change on the host. Changes nothing.")
final class DiffCommand extends ScriptCommand {

    @Option(names = "--detailed-exitcode", description = "Exit 2 when there are changes (0: none, 1: error).")
    boolean detailedExitCode;

    @picocli.CommandLine.Mixin
    ReleaseOptions releases;

    @Override
    int execute() {
        Deployment d = deployment();
        if (clusterRun(d)) {
            return cluster(d);
        }
        try (CommandRunner runner = target.runner(spec.commandLine())) {
            Plan plan = new Converger(zfs(runner), java.time.Clock.systemUTC(), actor(), m -> { },
                    runtimes(runner, releases)).plan(d);
            printPlan(plan);
            return detailedExitCode && !plan.isEmpty() ? Main.CHANGES : Main.OK;
        }
    }

    @picocli.CommandLine.Mixin
    ClusterMode.Selection selection;

    /** Every selected host's plan, under its name; a host that cannot be reached makes the diff fail (exit 1). */
    private int cluster(Deployment d) {
        var c = d.cluster().orElseThrow();
        var hosts = ClusterMode.remote(d, ClusterMode.hosts(c, selection, spec.commandLine()), wiring(releases),
                m -> { }, new Converger.Options(scriptHash()));
        try {
            var plans = new com.zed.cluster.ClusterRun(hosts, new com.zed.cluster.ClusterRun.Settings(c.strategyKind(),
                    c.fallbackKind(), c.parallel()), m -> { }).plan();
            if (json) {
                printJson(ClusterMode.json(plans));
            } else {
                out().print(ClusterMode.text(plans));
                out().flush();
            }
            if (!plans.unreachable().isEmpty()) {
                return Main.ERROR;
            }
            return detailedExitCode && !plans.isEmpty() ? Main.CHANGES : Main.OK;
        } finally {
            hosts.forEach(com.zed.cluster.ClusterHost::close);
        }
    }
}
