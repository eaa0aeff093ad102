package com.zed.cli;

import com.zed.dsl.DeployScripts;
import com.zed.exec.CommandResult;
import com.zed.exec.CommandRunner;
import com.zed.exec.SshRunner;
import com.zed.model.Deployment;
import com.zed.model.InvalidDeploymentException;
import com.zed.model.Problem;
import com.zed.model.ReplicationSpec;
import com.zed.replicate.ReplicationJob;
import com.zed.replicate.ReplicationResult;
import com.zed.replicate.Replicator;
import com.zed.zfs.DatasetName;
import com.zed.zfs.InvalidNameException;
import com.zed.zfs.ZfsCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

@Command(name = "replicate", mixinStandardHelpOptions = true,
        description = {"Replicate ZFS datasets to another host or pool: what a script declares with replicate { },",
                "or one dataset: zed replicate [HOST:]POOL/DATASET [HOST:]POOL/DATASET.",
                "HOST is 'lab' (the lab VM) or USER@HOST[:PORT]; without it, the source is the --lab/--ssh host",
                "and the target is the source's host (over a second session)."},
        footer = {"", "Exit codes: 0 replicated or up to date; 1 error; 4 refused (diverged target, no common snapshot);",
                "64 usage error."})
final class ReplicateCommand implements Callable<Integer> {
    static final int REFUSED = 4;
    /** An SSH config alias or [user@]host[:port] (no leading dash: never an ssh option). */
    private static final Pattern USER_HOST = Pattern.compile("(?:[A-Za-z0-9._][A-Za-z0-9._-]*@)?[A-Za-z0-9_][A-Za-z0-9._-]*(?::\\d{1,5})?");
    private static final Pattern LOCATION = Pattern.compile("(?:([^/:]+(?::\\d{1,5})?):)?([^:]+)");

    @Parameters(arity = "1..2", paramLabel = "SCRIPT | SRC DST",
            description = "A deploy script, or a source and a target: [HOST:]POOL/DATASET.")
    List<String> args;

    @Mixin
    TargetOptions target;

    @Option(names = "--to", paramLabel = "HOST", description = "With a script: send to this host instead of each block's (lab or USER@HOST[:PORT]).")
    String to;

    @Option(names = "--raw", description = "zfs send -w (ad-hoc form).")
    boolean raw;

    @Option(names = "--compressed", description = "zfs send -c (ad-hoc form).")
    boolean compressed;

    @Option(names = "--keep", paramLabel = "N", description = "Snapshots kept on the target (ad-hoc form; default all).")
    Integer keep;

    @Option(names = "--rollback", description = "Roll a diverged target back to the common snapshot (its own snapshots and writes are lost).")
    boolean rollback;

    @Option(names = "--json", description = "Print the results as JSON on stdout (progress goes to stderr).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Print every zfs command and its latency on stderr.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One replication to run: where from, where to, how. */
    record Task(String sourceHost, DatasetName source, String targetHost, DatasetName target, boolean raw, boolean compressed,
                OptionalInt keep, boolean rollback) {
    }

    /** {@code [HOST:]POOL/DATASET}: the host (null when absent) and the dataset. */
    record Location(String host, DatasetName dataset) {
        static Location parse(String text) {
            var m = LOCATION.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not [HOST:]POOL/DATASET");
            }
            String host = m.group(1);
            if (host != null && !host.equals("lab") && !USER_HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("host '" + host + "' in '" + text + "' is not 'lab', an SSH config alias or [USER@]HOST[:PORT]");
            }
            DatasetName ds;
            try {
                ds = DatasetName.of(m.group(2));
            } catch (InvalidNameException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            if (ds.isPoolRoot()) {
                throw new IllegalArgumentException("'" + ds + "' is a pool's root; name a dataset below it");
            }
            return new Location(host, ds);
        }
    }

    @Override
    public Integer call() {
        List<Task> tasks;
        try {
            tasks = tasks();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (InvalidDeploymentException e) {
            for (Problem p : e.problems()) {
                err().println(p);
            }
            err().printf("%s: %d problem%s; nothing was run%n", args.get(0), e.problems().size(), e.problems().size() == 1 ? "" : "s");
            err().flush();
            return Main.ERROR;
        }
        Map<String, CommandRunner> runners = new LinkedHashMap<>();
        List<Map<String, Object>> report = new ArrayList<>();
        int code = Main.OK;
        try {
            for (Task t : tasks) {
                // Two sessions even to one host: the stream leaves on one channel and comes back on another.
                CommandRunner src = runners.computeIfAbsent("src " + t.sourceHost(), k -> runner(t.sourceHost()));
                CommandRunner dst = runners.computeIfAbsent("dst " + t.targetHost(), k -> runner(t.targetHost()));
                var replicator = new Replicator(zfs(src), zfs(dst), new PrintStream(new WriterStream(err()), true),
                        System::nanoTime, 2_000_000_000L);
                var job = new ReplicationJob(t.source(), t.target(), label(t.targetHost()), t.raw(), t.compressed(), t.rollback(), t.keep());
                var row = new LinkedHashMap<String, Object>();
                row.put("source", label(t.sourceHost()) + ":" + t.source());
                row.put("target", label(t.targetHost()) + ":" + t.target());
                try {
                    ReplicationResult r = replicator.replicate(job);
                    row.put("outcome", r.outcome().name().toLowerCase().replace('_', '-'));
                    row.put("bytes", r.bytes());
                    row.put("newest", r.newest());
                    row.put("steps", r.steps());
                    row.put("destroyed", r.destroyed());
                    row.put("message", r.message());
                    if (r.outcome() == ReplicationResult.Outcome.REFUSED) {
                        code = Math.max(code, REFUSED);
                    }
                    if (!json) {
                        r.steps().forEach(s -> out().println("  " + s));
                        out().printf("%s %s → %s: %s%n", r.outcome() == ReplicationResult.Outcome.REFUSED ? "REFUSED" : "ok",
                                row.get("source"), row.get("target"), r.message());
                    }
                } catch (RuntimeException e) {
                    row.put("outcome", "failed");
                    row.put("message", String.valueOf(e.getMessage()));
                    code = code == REFUSED ? REFUSED : Main.ERROR;
                    if (!json) {
                        out().printf("FAILED %s → %s: %s%n", row.get("source"), row.get("target"), e.getMessage());
                    }
                }
                report.add(row);
            }
        } finally {
            runners.values().forEach(CommandRunner::close);
        }
        if (json) {
            try {
                out().println(ScriptCommand.JSON.writeValueAsString(report));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        out().flush();
        return code;
    }

    List<Task> tasks() {
        if (args.size() == 2) {
            if (keep != null && keep < 1) {
                throw new IllegalArgumentException("--keep must be at least 1, not " + keep);
            }
            Location s = Location.parse(args.get(0));
            Location d = Location.parse(args.get(1));
            String srcHost = s.host();
            String dstHost = d.host() != null ? d.host() : srcHost;
            if (label(srcHost).equals(label(dstHost)) && (s.dataset().contains(d.dataset()) || d.dataset().contains(s.dataset()))) {
                throw new IllegalArgumentException("source and target overlap: " + s.dataset() + " and " + d.dataset());
            }
            return List.of(new Task(srcHost, s.dataset(), dstHost, d.dataset(), raw, compressed,
                    keep == null ? OptionalInt.empty() : OptionalInt.of(keep), rollback));
        }
        Path script = Path.of(args.get(0));
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("no such script: " + script);
        }
        if (raw || compressed || keep != null) {
            throw new IllegalArgumentException("--raw, --compressed and --keep are for the ad-hoc form; a script sets them in replicate { }");
        }
        Deployment d = DeployScripts.load(script);
        if (d.replications().isEmpty()) {
            throw new IllegalArgumentException(script + " declares no replicate { } block");
        }
        var out = new ArrayList<Task>();
        for (ReplicationSpec r : d.replications()) {
            String host = to != null ? to : r.host();
            if (!host.equals("lab") && !USER_HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("host '" + host + "' of replicate '" + r.dataset()
                        + "' is not 'lab', an SSH config alias or [USER@]HOST[:PORT]");
            }
            out.add(new Task(null, DatasetName.of(d.pool().value() + "/" + r.dataset()), host, DatasetName.of(r.targetDataset()),
                    r.raw(), r.compressed(), r.keep(), r.rollback() || rollback));
        }
        return out;
    }

    /** null: the --lab/--ssh host (this host without them); 'lab': the lab VM; else USER@HOST[:PORT]. */
    private CommandRunner runner(String host) {
        if (host == null) {
            return target.runner(spec.commandLine());
        }
        if (host.equals("lab")) {
            return new SshRunner(Lab.target().orElseThrow(() -> new ParameterException(spec.commandLine(), Lab.whyNot())));
        }
        if (!USER_HOST.matcher(host).matches()) {
            throw new ParameterException(spec.commandLine(), "not an SSH config alias or [USER@]HOST[:PORT]: " + host);
        }
        // The SSH options of this command (--ssh-config, --identity, --known-hosts, --accept-new-host-key) apply.
        return target.host(host, spec.commandLine());
    }

    private String label(String host) {
        if (host != null) {
            return host;
        }
        return target.lab ? "lab" : target.ssh != null ? target.ssh : "local";
    }

    private ZfsCli zfs(CommandRunner runner) {
        return new ZfsCli(runner, "zfs", this::trace);
    }

    private void trace(CommandResult r) {
        if (verbose) {
            err().printf("  [%4d ms] %s%s%n", r.elapsed().toMillis(), String.join(" ", r.argv()),
                    r.ok() ? "" : " → exit " + r.exitCode());
            err().flush();
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Progress lines from the core (a PrintStream) onto picocli's stderr writer. */
    private static final class WriterStream extends java.io.OutputStream {
        private final PrintWriter w;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        WriterStream(PrintWriter w) {
            this.w = w;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                w.println("  … " + line.toString(java.nio.charset.StandardCharsets.UTF_8));
                w.flush();
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
