package com.zed.cli;

import com.zed.converge.History;
import com.zed.exec.CommandRunner;
import com.zed.model.Deployment;
import picocli.CommandLine.Command;

import java.util.List;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "The deploy's audit log, read from its before-deploy snapshots (oldest first).")
final class HistoryCommand extends ScriptCommand {

    @Override
    int execute() {
        Deployment d = deployment();
        try (CommandRunner runner = target.runner(spec.commandLine())) {
            List<History.Entry> h = History.of(zfs(runner), d);
            if (json) {
                printJson(h);
                return Main.OK;
            }
            if (h.isEmpty()) {
                out().printf("deploy '%s' has no before-deploy snapshots on pool '%s' yet%n", d.name(), d.pool());
            }
            for (History.Entry e : h) {
                out().printf("%-12s %-24s %-20s %s%s  [@%s, %d dataset(s)]%n", e.result(), e.at(), e.by(), e.summary(),
                        e.held() ? " (held)" : "", e.snapshot(), e.snapshots().size());
            }
            out().flush();
            return Main.OK;
        }
    }
}
