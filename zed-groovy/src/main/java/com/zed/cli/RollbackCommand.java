package com.zed.cli;

import com.zed.converge.Rollback;
import com.zed.exec.CommandRunner;
import com.zed.model.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Optional;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Return the deploy's datasets to a before-deploy snapshot (default: before the last successful",
                "deploy) and restore the properties and versions that deploy changed."})
final class RollbackCommand extends ScriptCommand {

    @Option(names = "--to", paramLabel = "SNAPSHOT", description = "A before-deploy snapshot from `zed history`.")
    String to;

    @Option(names = "--destroy-newer", description = "Allow destroying snapshots newer than the target (zfs rollback -r).")
    boolean destroyNewer;

    @picocli.CommandLine.Mixin
    ReleaseOptions releases;

    @Override
    int execute() {
        Deployment d = deployment();
        try (CommandRunner runner = open()) {
            Rollback.Result r = stoppable(() -> Rollback.run(zfs(runner), d, Optional.ofNullable(to), destroyNewer, actor(),
                    Clock.systemUTC(), this::progress, runtimes(runner, releases)));
            printRecovered(r.recovered());
            if (json) {
                var m = new LinkedHashMap<String, Object>();
                m.put("snapshot", r.snapshot());
                m.put("rolledBack", r.rolledBack().stream().map(Object::toString).toList());
                m.put("destroyedNewer", r.destroyedNewer().stream().map(Object::toString).toList());
                printJson(m);
            } else {
                out().printf("Rolled back %d dataset(s) to @%s.%n", r.rolledBack().size(), r.snapshot());
            }
            return Main.OK;
        }
    }
}
