package com.zed.bench;

import com.zed.cli.Lab;
import com.zed.exec.CommandResult;
import com.zed.exec.ShellQuote;
import com.zed.exec.SshRunner;
import com.zed.exec.SshSettings;
import com.zed.replicate.ReplicationJob;
import com.zed.replicate.ReplicationResult;
import com.zed.replicate.Replicator;
import com.zed.zfs.DatasetName;
import com.zed.zfs.DestroyMode;
import com.zed.zfs.ReceiveRequest;
import com.zed.zfs.SendRequest;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.ZfsCli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Incremental replication of MIB MiB of incompressible data between two namespace hosts of the lab
 * (zh1 → zh2, {@code scripts/lab hosts up}), ROUNDS rounds, each way measured in every round with the
 * order rotating:
 * <ul>
 *   <li><b>zed</b>: {@link Replicator} from this JVM, one SSH session per host (each jumping through
 *   the lab's sshd), with its reads, holds, bookmarks and read-back by guid;</li>
 *   <li><b>relay</b>: {@code ssh zh1 zfs send -i | ssh zh2 zfs receive} from this host, two OpenSSH
 *   clients over the same route, joined by an OS pipe (no shell): what syncoid does for two remote hosts;</li>
 *   <li><b>syncoid</b> (Debian's sanoid package) from this host, driving both hosts over that route;</li>
 *   <li><b>in-VM</b>, for reference: {@code zfs send -i | ssh 10.77.0.12 zfs receive} inside zh1's
 *   namespace, straight to zh2's sshd (no trip out of the VM);</li>
 *   <li><b>bare</b> (with {@code ZED_BENCH_BARE=1}): {@code Zfs.sendTo} over zed's two sessions, the
 *   transport without zed's bookkeeping.</li>
 * </ul>
 * The raw ways share one target, rolled back to the base after each. Prints min / median / max and
 * the ratios of median throughput.
 */
public final class ReplicationBench {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        String syncoid = args.length > 2 ? args[2] : "";
        boolean bare = "1".equals(System.getenv("ZED_BENCH_BARE"));
        Path hosts = Lab.runDir().resolve("hosts");
        Path cfg = hosts.resolve("ssh_config");
        if (!Files.isRegularFile(cfg)) {
            throw new IllegalStateException("no " + cfg + ": run scripts/lab hosts up 2 (with your ZED_LAB_RUN)");
        }
        SshSettings settings = new SshSettings(cfg, null, null, false).withAgentSocket(SshSettings.NO_AGENT);
        DatasetName src = DatasetName.of("zh1/zed-bench-repl");
        DatasetName zedDst = DatasetName.of("zh2/zed-bench-repl-zed");
        DatasetName rawDst = DatasetName.of("zh2/zed-bench-repl-raw");
        DatasetName syncDst = DatasetName.of("zh2/zed-bench-repl-syncoid");
        Path work = Files.createTempDirectory("zed-bench-repl");
        try (SshRunner a = SshRunner.connect("zh1", settings); SshRunner b = SshRunner.connect("zh2", settings);
             SshRunner c1 = SshRunner.connect("zh1", settings); SshRunner c2 = SshRunner.connect("zh2", settings)) {
            var z1 = new ZfsCli(c1);
            var z2 = new ZfsCli(c2);
            cleanup(z1, src);
            cleanup(z2, zedDst, rawDst, syncDst);
            InVm inVm = InVm.prepare(c1, work);
            Path sshWrap = sshWrapper(work, cfg);
            var job = new ReplicationJob(src, zedDst, "zh2", false, false, false, OptionalInt.empty());
            // ZED_BENCH_TRACE=1: every zfs command zed runs, with its latency, on stderr (where the time goes)
            boolean trace = "1".equals(System.getenv("ZED_BENCH_TRACE"));
            var srcZfs = new ZfsCli(a);
            var dstZfs = new ZfsCli(b);
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
            var replicator = new Replicator(srcZfs, dstZfs, sink, System::nanoTime, 2_000_000_000L);
            Map<String, double[]> times = new LinkedHashMap<>();
            try {
                z1.create(src, Map.of(), false);
                fill(c1, src, 1);
                SnapshotName prev = src.snapshot("r0");
                z1.snapshot(List.of(prev), false, Map.of());
                // the base, small: not measured
                replicator.replicate(job);
                srcZfs.sendTo(SendRequest.full(prev), dstZfs, ReceiveRequest.into(rawDst));
                if (!syncoid.isEmpty()) {
                    syncoid(syncoid, sshWrap, work, src, syncDst);
                }
                Map<String, Consumer<SnapshotName[]>> ways = new LinkedHashMap<>();
                // zed as `zed replicate` runs it (less the JVM's start): its two sessions connect in the run,
                // as the relay's and syncoid's OpenSSH clients do
                ways.put("zed", p -> {
                    if (trace) {
                        System.err.printf("  %6d ms  zed starts%n", (System.nanoTime() - T0) / 1_000_000);
                    }
                    try (SshRunner s1 = SshRunner.connect("zh1", settings); SshRunner s2 = SshRunner.connect("zh2", settings)) {
                        var rep = new Replicator(new ZfsCli(s1, "zfs", traced("zh1", trace)), new ZfsCli(s2, "zfs", traced("zh2", trace)),
                                sink, System::nanoTime, 2_000_000_000L);
                        ReplicationResult res = rep.replicate(job);
                        if (res.outcome() != ReplicationResult.Outcome.REPLICATED) {
                            throw new IllegalStateException("zed: " + res.message());
                        }
                    }
                });
                ways.put("relay", p -> relay(cfg, work, p[0], p[1], rawDst));
                if (!syncoid.isEmpty()) {
                    ways.put("syncoid", p -> syncoid(syncoid, sshWrap, work, src, syncDst));
                }
                ways.put("in-VM", p -> inVm.run(c1, p[0], p[1], rawDst));
                if (bare) {
                    ways.put("bare", p -> srcZfs.sendTo(SendRequest.full(p[1]).incrementalFrom(p[0], false), dstZfs, ReceiveRequest.into(rawDst)));
                }
                ways.keySet().forEach(k -> times.put(k, new double[rounds]));
                List<String> names = new ArrayList<>(ways.keySet());
                for (int r = 1; r <= rounds; r++) {
                    fill(c1, src, mib);
                    SnapshotName next = src.snapshot("r" + r);
                    z1.snapshot(List.of(next), false, Map.of());
                    SnapshotName[] pair = {prev, next};
                    StringBuilder line = new StringBuilder("round " + r + ":");
                    for (int i = 0; i < names.size(); i++) {
                        String way = names.get((i + r - 1) % names.size());   // the order rotates
                        if (!way.equals("zed") && !way.equals("syncoid") && z2.exists(rawDst.snapshot(next.shortName()).value())) {
                            z2.rollback(rawDst.snapshot(prev.shortName()), true);   // the raw ways share a target: back to the base
                        }
                        double s = time(() -> ways.get(way).accept(pair));
                        times.get(way)[r - 1] = s;
                        line.append(String.format(" %s %.1f s", way, s));
                        // each target keeps one version, as soon as it can (zh2 holds ~5 GiB: 3 × 2 GiB would not fit)
                        if (way.equals("zed")) {
                            z2.destroy(zedDst.snapshot(prev.shortName()), DestroyMode.SINGLE);
                        } else if (way.equals("syncoid")) {
                            z2.destroy(syncDst.snapshot(prev.shortName()), DestroyMode.SINGLE);
                        }
                    }
                    z2.destroy(rawDst.snapshot(prev.shortName()), DestroyMode.SINGLE);   // the raw ways share it: after the last
                    z1.destroy(prev, DestroyMode.SINGLE);   // zed's hold moved to `next`
                    prev = next;
                    System.out.println(line);
                }
                System.out.printf("%nincremental replication zh1 → zh2, %d MiB incompressible, %d rounds%n", mib, rounds);
                System.out.printf("%-58s %7s %8s %7s %10s%n", "", "min s", "median s", "max s", "MiB/s med");
                Map<String, String> label = Map.of(
                        "zed", "zed Replicator (JVM, connects its 2 ssh sessions)",
                        "relay", "ssh zh1 zfs send -i | ssh zh2 zfs receive (relay)",
                        "syncoid", "syncoid from this host (same route)",
                        "in-VM", "zfs send -i | ssh zh2 zfs receive, in zh1's netns",
                        "bare", "Zfs.sendTo over zed's 2 sessions (no bookkeeping)");
                times.forEach((k, v) -> row(label.get(k), v, mib));
                double zed = median(times.get("zed"));
                for (String k : names) {
                    if (!k.equals("zed")) {
                        System.out.printf("throughput ratio zed ÷ %s (medians): %.3f%n", k, median(times.get(k)) / zed);
                    }
                }
            } finally {
                cleanup(z1, src);
                cleanup(z2, zedDst, rawDst, syncDst);
                inVm.remove(c1);
                deleteTree(work);
            }
        }
    }

    /** {@code ssh -F CFG zh1 'zfs send -i A B' | ssh -F CFG zh2 'zfs receive -u T'}: two OpenSSH clients joined by an OS pipe. */
    static void relay(Path cfg, Path work, SnapshotName from, SnapshotName to, DatasetName into) {
        var send = new ProcessBuilder("ssh", "-F", cfg.toString(), "zh1",
                ShellQuote.join(List.of("zfs", "send", "-i", from.value(), to.value())))
                .redirectError(work.resolve("relay-send.err").toFile());
        var recv = new ProcessBuilder("ssh", "-F", cfg.toString(), "zh2",
                ShellQuote.join(List.of("zfs", "receive", "-u", into.value())))
                .redirectError(work.resolve("relay-recv.err").toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            List<Process> ps = ProcessBuilder.startPipeline(List.of(send, recv));
            for (Process p : ps) {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("relay failed: " + Files.readString(work.resolve("relay-send.err"))
                            + Files.readString(work.resolve("relay-recv.err")));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** syncoid 2.1 has no --sshconfig: it runs `ssh` from PATH, here a wrapper adding {@code -F CFG}. */
    static Path sshWrapper(Path work, Path cfg) throws IOException {
        Path dir = Files.createDirectories(work.resolve("bin"));
        Path ssh = dir.resolve("ssh");
        Files.writeString(ssh, "#!/bin/sh\nexec /usr/bin/ssh -F " + ShellQuote.quote(cfg.toString()) + " \"$@\"\n");
        ssh.toFile().setExecutable(true, true);
        return dir;
    }

    static void syncoid(String syncoid, Path wrapDir, Path work, DatasetName from, DatasetName into) {
        var pb = new ProcessBuilder(syncoid, "--no-privilege-elevation", "--no-sync-snap", "--compress=none",
                "--no-clone-handling", "root@zh1:" + from.value(), "root@zh2:" + into.value())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("syncoid.out").toFile());
        pb.environment().put("PATH", wrapDir + ":" + System.getenv("PATH"));
        try {
            if (pb.start().waitFor() != 0) {
                throw new IllegalStateException("syncoid failed: " + Files.readString(work.resolve("syncoid.out")));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The in-VM reference: from zh1's namespace straight to zh2's sshd, with a key made for this run
     * (authorized for root while it lasts) and zh2's host key pinned. A fixed pipeline whose names
     * are positional parameters; the remote command line is built by ShellQuote.
     */
    record InVm(String dir) {
        private static final String PIPE = "zfs send -i \"$1\" \"$2\" | ssh -i \"$4/key\" -o UserKnownHostsFile=\"$4/known_hosts\" "
                + "-o StrictHostKeyChecking=yes -o BatchMode=yes root@10.77.0.12 \"$3\"";
        private static final String MARK = "zed-bench-repl";

        static InVm prepare(SshRunner zh1, Path work) {
            String dir = "/run/zed-bench-repl";
            new InVm(dir).remove(zh1);   // what a run that was killed left
            check(zh1.run(List.of("mkdir", "-m", "700", "-p", dir)));
            check(zh1.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", MARK, "-f", dir + "/key")));
            check(zh1.run(List.of("sh", "-c", "cat \"$1\" >> /root/.ssh/authorized_keys", "sh", dir + "/key.pub")));
            check(zh1.run(List.of("sh", "-c", "printf '10.77.0.12 %s\\n' \"$(cut -d' ' -f1,2 \"$1\")\" > \"$2\"", "sh",
                    "/var/lib/zed-hosts/zh2/ssh_host_ed25519_key.pub", dir + "/known_hosts")));
            return new InVm(dir);
        }

        void run(SshRunner zh1, SnapshotName from, SnapshotName to, DatasetName into) {
            check(zh1.run(List.of("sh", "-c", PIPE, "sh", from.value(), to.value(),
                    ShellQuote.join(List.of("zfs", "receive", "-u", into.value())), dir)));
        }

        void remove(SshRunner zh1) {
            zh1.run(List.of("sed", "-i", "/ " + MARK + "$/d", "/root/.ssh/authorized_keys"));
            zh1.run(List.of("rm", "-f", dir + "/key", dir + "/key.pub", dir + "/known_hosts"));
            zh1.run(List.of("rmdir", dir));
        }
    }

    private static final long T0 = System.nanoTime();

    private static Consumer<CommandResult> traced(String host, boolean on) {
        return r -> {
            if (on) {
                System.err.printf("  %6d ms  %s %5d ms %s%n", (System.nanoTime() - T0) / 1_000_000, host, r.elapsed().toMillis(), String.join(" ", r.argv()));
            }
        };
    }

    private static void fill(SshRunner r, DatasetName ds, int mib) {
        check(r.run(List.of("dd", "if=/dev/urandom", "of=/" + ds.value() + "/data", "bs=1M", "count=" + mib, "conv=fsync", "status=none")));
    }

    private static void cleanup(ZfsCli zfs, DatasetName... all) {
        for (DatasetName ds : all) {
            if (zfs.exists(ds.value())) {
                zfs.snapshots(List.of(ds)).stream().filter(s -> s.isHeld()).forEach(s ->
                        zfs.holds(s.name()).forEach(h -> zfs.release(h.tag(), List.of(s.name()), false)));
                zfs.destroy(ds, DestroyMode.RECURSIVE);
            }
        }
    }

    /** The run's own temp dir: plain files and one subdirectory, no links followed. */
    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void check(CommandResult r) {
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", r.argv()) + " → " + r.exitCode() + ": " + r.stderr());
        }
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void row(String name, double[] v, int mib) {
        double[] s = v.clone();
        Arrays.sort(s);
        System.out.printf("%-58s %7.1f %8.1f %7.1f %10.2f%n", name, s[0], median(v), s[s.length - 1], mib / median(v));
    }
}
