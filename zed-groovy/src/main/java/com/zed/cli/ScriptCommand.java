package com.zed.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.zed.converge.Actor;
import com.zed.dsl.DeployScripts;
import com.zed.exec.CommandResult;
import com.zed.exec.CommandRunner;
import com.zed.model.Deployment;
import com.zed.model.InvalidDeploymentException;
import com.zed.model.Problem;
import com.zed.zfs.ZfsCli;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/** What every command that reads a deploy script shares: the script, the target, output modes. */
abstract class ScriptCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The deploy script (e.g. scripts/trading.groovy).")
    Path script;

    @Mixin
    TargetOptions target;

    @Option(names = "--json", description = "Print the result as JSON on stdout (messages go to stderr).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Print every zfs command and its latency on stderr.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .enable(SerializationFeature.INDENT_OUTPUT);

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Loads and checks the script; problems are printed (file:line:col: …) and end the command. */
    Deployment deployment() {
        if (!Files.isRegularFile(script)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no such script: " + script);
        }
        return DeployScripts.load(script);
    }

    String scriptHash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(script));
            return "sha256:" + HexFormat.of().formatHex(d, 0, 8);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash " + script + ": " + e.getMessage(), e);
        }
    }

    ZfsCli zfs(CommandRunner runner) {
        return new ZfsCli(runner, "zfs", this::trace);
    }

    private void trace(CommandResult r) {
        if (verbose) {
            err().printf("  [%4d ms] %s%s%n", r.elapsed().toMillis(), String.join(" ", r.argv()),
                    r.ok() ? "" : " → exit " + r.exitCode());
            err().flush();
        }
    }

    /** Progress lines on stderr (not with --json: machines read stdout, people read stderr). */
    void progress(String message) {
        if (!json) {
            err().println("  … " + message);
            err().flush();
        }
    }

    /**
     * The runtime of each app: the BEAM runtime on this target's platform, with releases from the
     * store (given, or dist/ beside the script); record-only apps (declared so) get none. An app whose
     * release is not in the store fails before anything changes, naming the path tried.
     */
    java.util.function.Function<com.zed.model.AppSpec, com.zed.converge.AppRuntime> runtimes(CommandRunner runner,
                                                                                        ReleaseOptions releases) {
        return runtimes(runner, releases, this::progress);
    }

    /** {@link #runtimes(CommandRunner, ReleaseOptions)} telling its progress to {@code progress} (a cluster host's, prefixed). */
    java.util.function.Function<com.zed.model.AppSpec, com.zed.converge.AppRuntime> runtimes(
            CommandRunner runner, ReleaseOptions releases, java.util.function.Consumer<String> progress) {
        Path dir = releases.store != null ? releases.store : script.toAbsolutePath().getParent().resolve("dist");
        var beam = new com.zed.beam.BeamRuntime(runner, new com.zed.platform.LinuxSystemd(runner),
                new com.zed.beam.ReleaseStore(dir),
                new com.zed.beam.BeamRuntime.Settings(com.zed.beam.BeamTarget.DEFAULT_EPMD_PORT,
                        java.time.Duration.ofSeconds(releases.healthTimeout), System.getenv(),
                        releases.watch(spec.commandLine())),
                progress);
        return app -> app != null && app.recordOnly() ? com.zed.converge.AppRuntime.RECORD_ONLY : beam;
    }

    /**
     * Runs {@code body} with SIGINT and SIGTERM turned into a request to stop: the transaction rolls
     * back at its next step and the command exits after that, instead of dying half-way.
     */
    <T> T stoppable(java.util.function.Supplier<T> body) {
        var handler = (sun.misc.SignalHandler) sig -> {
            err().println("zed: SIG" + sig.getName() + " received: rolling back before exiting");
            err().flush();
            com.zed.converge.Cancellation.request("SIG" + sig.getName());
        };
        var oldInt = sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
        var oldTerm = sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        try {
            return body.get();
        } finally {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), oldInt);
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), oldTerm);
        }
    }

    /** Opens the target's runner; the crash-matrix fault {@code cut} severs it for good. */
    CommandRunner open() {
        CommandRunner r = new Severable(target.runner(spec.commandLine()));
        com.zed.converge.Faults.onCut(((Severable) r)::sever);
        return r;
    }

    void printRecovered(java.util.Optional<com.zed.converge.Recovery.Result> r) {
        r.ifPresent(x -> err().printf("Recovered an interrupted %s (%s, stopped at '%s'): %s.%n", x.kind(), x.txn(),
                x.phase(), x.outcome()));
    }

    /** How each host of a cluster is reached and converged: the single-host wiring, per host. */
    ClusterMode.Wiring wiring(ReleaseOptions releases) {
        return new ClusterMode.Wiring() {
            @Override
            public CommandRunner connect(com.zed.model.ClusterSpec.HostSpec host) {
                return target.host(host.ssh(), spec.commandLine());
            }

            @Override
            public com.zed.converge.Converger converger(CommandRunner runner, java.util.function.Consumer<String> progress) {
                return new com.zed.converge.Converger(zfs(runner), java.time.Clock.systemUTC(), actor(), progress,
                        runtimes(runner, releases, progress));
            }

            @Override
            public com.zed.converge.Rollback.Result rollback(CommandRunner runner, Deployment d, String snapshot,
                                                             java.util.function.Consumer<String> progress) {
                return com.zed.converge.Rollback.run(zfs(runner), d, java.util.Optional.of(snapshot), false, actor(),
                        java.time.Clock.systemUTC(), progress, runtimes(runner, releases, progress));
            }

            @Override
            public java.util.Optional<com.zed.converge.Recovery.Result> recoverOwn(CommandRunner runner, Deployment d,
                                                                               java.util.function.Consumer<String> progress) {
                var lock = com.zed.converge.PoolLock.read(zfs(runner), d.pool());
                if (lock.isEmpty() || !lock.get().holder().isThisProcess(actor())) {
                    return java.util.Optional.empty();
                }
                return com.zed.converge.Recovery.recover(zfs(runner), d, java.util.Optional.of(lock.get().holder().id()), actor(),
                        java.time.Clock.systemUTC(), progress, runtimes(runner, releases, progress));
            }

            @Override
            public java.util.List<com.zed.converge.History.Entry> history(CommandRunner runner, Deployment d) {
                return com.zed.converge.History.of(zfs(runner), d);
            }
        };
    }

    /** Does this run cover the script's cluster (it has one, and no --lab/--ssh names a single target)? */
    boolean clusterRun(Deployment d) {
        return d.cluster().isPresent() && !target.explicit();
    }

    Actor actor() {
        return Actor.current();
    }

    /** A plan as JSON (--json) or as the + ~ diff. */
    void printPlan(com.zed.converge.Plan plan) {
        if (json) {
            printJson(com.zed.converge.PlanFormat.json(plan));
        } else {
            out().print(com.zed.converge.PlanFormat.text(plan));
            out().flush();
        }
    }

    void printJson(Object o) {
        try {
            out().println(JSON.writeValueAsString(o));
            out().flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (InvalidDeploymentException e) {
            for (Problem p : e.problems()) {
                err().println(p);
            }
            err().printf("%s: %d problem%s; nothing was run%n", script, e.problems().size(), e.problems().size() == 1 ? "" : "s");
            err().flush();
            return Main.ERROR;
        }
    }

    abstract int execute();
}
