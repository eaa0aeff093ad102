package com.zed.cli;

import com.zed.converge.Recovery;
import com.zed.exec.CommandRunner;
import com.zed.model.Deployment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Optional;

@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Finish a transaction that was interrupted (zed killed, connection lost, host rebooted) or whose",
                "rollback failed: undo a deploy that had not committed, keep one that had, complete a rollback;",
                "then remove the pool's lock. `zed run` does this by itself when the lock's holder provably ran",
                "on this host and is gone; otherwise name the holder with --force-unlock (see `zed status`)."})
final class RecoverCommand extends ScriptCommand {

    @Option(names = "--force-unlock", paramLabel = "HOLDER",
            description = "Take the lock from this holder (as `zed status` names it, e.g. ci@build7:4711) even though"
                    + " zed cannot prove it is gone. Only when you know that process is dead.")
    String forceUnlock;

    @picocli.CommandLine.Mixin
    ReleaseOptions releases;

    @Override
    int execute() {
        Deployment d = deployment();
        try (CommandRunner runner = open()) {
            Optional<Recovery.Result> r = stoppable(() -> Recovery.recover(zfs(runner), d, Optional.ofNullable(forceUnlock),
                    actor(), Clock.systemUTC(), this::progress, runtimes(runner, releases)));
            if (json) {
                var m = new LinkedHashMap<String, Object>();
                m.put("recovered", r.orElse(null));
                printJson(m);
            } else if (r.isEmpty()) {
                out().printf("Nothing to recover: pool '%s' is not locked.%n", d.pool());
            } else {
                out().printf("Recovered %s %s (stopped at '%s'): %s. The pool is unlocked.%n", r.get().kind(),
                        r.get().txn(), r.get().phase(), r.get().outcome());
            }
            out().flush();
            return Main.OK;
        }
    }
}
