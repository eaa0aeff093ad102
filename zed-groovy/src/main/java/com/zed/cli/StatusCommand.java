package com.zed.cli;

import com.zed.converge.Status;
import com.zed.exec.CommandRunner;
import com.zed.model.Deployment;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "What is deployed now, per dataset, against the script; the last deploy; the pool's lock.")
final class StatusCommand extends ScriptCommand {

    @picocli.CommandLine.Mixin
    ReleaseOptions releases;

    @Override
    int execute() {
        Deployment d = deployment();
        try (CommandRunner runner = target.runner(spec.commandLine())) {
            var zfs = zfs(runner);
            var runtimes = runtimes(runner, releases);
            var plan = new com.zed.converge.Converger(zfs, java.time.Clock.systemUTC(), actor(), m -> { }, runtimes).plan(d);
            Status.Report r = Status.of(zfs, d, plan);
            var apps = new java.util.ArrayList<com.zed.beam.BeamRuntime.AppStatus>();
            d.apps().forEach(a -> {
                if (runtimes.apply(a) instanceof com.zed.beam.BeamRuntime beam) {
                    apps.add(beam.status(a));
                }
            });
            if (json) {
                var m = new java.util.LinkedHashMap<String, Object>();
                m.put("status", r);
                m.put("apps", apps);
                printJson(m);
                return Main.OK;
            }
            out().printf("deploy '%s' on pool '%s': %s%n", r.deploy(), r.pool(),
                    r.pendingSteps() == 0 ? "converged" : r.pendingSteps() + " step(s) pending (zed diff)");
            for (Status.DatasetStatus s : r.datasets()) {
                out().printf("  %-40s %s%s%s%n", s.dataset(), s.exists() ? "" : "missing ",
                        s.app().map(a -> a + " " + s.version().orElse("none")
                                + (d.app(a).filter(com.zed.model.AppSpec::recordOnly).isPresent() ? " (record only)" : "")
                                + (s.version().equals(s.declaredVersion()) ? "" : " (declared " + s.declaredVersion().orElse("?") + ")"))
                                .orElse(""),
                        s.deployedAt().map(t -> "  deployed " + t + " by " + s.deployedBy().orElse("?")).orElse(""));
            }
            for (var a : apps) {
                out().printf("  app %s: service %s %s%s, %d restart(s); %s%n", a.app(), a.service(), a.state(),
                        a.since().map(t -> " since " + t + " (up " + java.time.Duration.between(t, java.time.Instant.now()).toSeconds() + " s)").orElse(""),
                        a.restarts(), a.healthy() ? "healthy" : "NOT healthy: " + a.health());
            }
            for (var s : r.datasets()) {
                s.drift().forEach(x -> out().printf("  %s: DRIFT: %s%n", s.dataset(), x));
            }
            for (var s : r.datasets()) {
                s.ghosted().ifPresent(g -> out().printf("  %s: ghosted (failed health, not redeployed without --force): %s%n", s.dataset(), g));
            }
            r.lastDeploy().ifPresent(h -> out().printf("last deploy: %s %s by %s — %s (%s)%n", h.snapshot(), h.at(), h.by(),
                    h.summary(), h.result()));
            r.lock().ifPresent(l -> {
                out().printf("LOCKED by %s%s%n", l.holder(), l.phase().map(p -> "; transaction at '" + p + "'").orElse(""));
                if (l.needsAttention()) {
                    out().printf("NEEDS ATTENTION: %s%n  Fix the cause, then: zed recover %s--force-unlock '%s' %s%n",
                            l.error().orElse("a rollback failed"), target.describe(), l.holder().id(), script);
                } else if (l.holder().goneFrom(actor().host())) {
                    out().printf("  Its holder is gone: the next `zed run` recovers it, or now: zed recover %s%s%n",
                            target.describe(), script);
                } else {
                    out().printf("  If that process is gone (another host, a reboot): zed recover %s--force-unlock '%s' %s%n",
                            target.describe(), l.holder().id(), script);
                }
            });
            out().flush();
            return Main.OK;
        }
    }
}
