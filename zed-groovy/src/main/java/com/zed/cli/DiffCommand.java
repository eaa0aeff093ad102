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
        try (CommandRunner runner = target.runner(spec.commandLine())) {
            Plan plan = new Converger(zfs(runner), java.time.Clock.systemUTC(), actor(), m -> { },
                    runtimes(runner, releases)).plan(d);
            printPlan(plan);
            return detailedExitCode && !plan.isEmpty() ? Main.CHANGES : Main.OK;
        }
    }
}
