package com.zed.bench;

import com.zed.cli.Lab;
import com.zed.exec.CommandResult;
import com.zed.exec.SshRunner;
import com.zed.exec.SshTarget;
import com.zed.replicate.ReplicationJob;
import com.zed.replicate.ReplicationResult;
import com.zed.replicate.Replicator;
import com.zed.zfs.DatasetName;
import com.zed.zfs.DestroyMode;
import com.zed.zfs.ReceiveRequest;
import com.zed.zfs.SendRequest;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.ZfsCli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Incremental replication of SIZE MiB of incompressible data between the lab's pools, N rounds:
 * zed's Replicator (two SSH sessions, the stream through the JVM, holds, bookmarks, read-back by guid)
 * against a plain {@code zfs send -i | zfs receive} pipeline run inside the VM, in the same run and
 * the same rounds (order alternating), and against the bare stream over the same two SSH sessions
 * ({@code Zfs.sendTo}: the transport's share of the cost, without zed's reads, holds and bookmarks). Prints min / median / max seconds and MiB/s, and the ratio of
 * medians.
 */
public final class ReplicationBench {
    // A fixed pipeline with its names as positional parameters: nothing is interpolated into the script.
    private static final String PIPE = "zfs send -i \"$1\" \"$2\" | zfs receive -u \"$3\"";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        SshTarget t = Lab.target().orElseThrow(() -> new IllegalStateException(Lab.whyNot()));
        List<String> pools = List.of((System.getenv().getOrDefault("ZED_LAB_POOLS", "jeff backup")).split(" "));
        DatasetName src = DatasetName.of(pools.get(0) + "/zed-bench-repl");
        DatasetName zedDst = DatasetName.of(pools.get(1) + "/zed-bench-repl-zed");
        DatasetName rawDst = DatasetName.of(pools.get(1) + "/zed-bench-repl-raw");
        DatasetName jvmDst = DatasetName.of(pools.get(1) + "/zed-bench-repl-jvm");
        try (SshRunner a = new SshRunner(t); SshRunner b = new SshRunner(t); SshRunner c = new SshRunner(t)) {
            var zfs = new ZfsCli(c);
            cleanup(zfs, c, src, zedDst, rawDst, jvmDst);
            zfs.create(src, Map.of(), false);
            var job = new ReplicationJob(src, zedDst, "lab", false, false, false, OptionalInt.of(1));
            var srcZfs = new ZfsCli(a);
            var dstZfs = new ZfsCli(b);
            var replicator = new Replicator(srcZfs, dstZfs, null, System::nanoTime, Long.MAX_VALUE);
            try {
                fill(c, src, mib);
                SnapshotName prev = src.snapshot("r0");
                zfs.snapshot(List.of(prev), false, Map.of());
                replicator.replicate(job);                                       // the full streams: not measured
                check(c.run(List.of("sh", "-c", "zfs send \"$1\" | zfs receive -u \"$2\"", "sh", prev.value(), rawDst.value())));
                srcZfs.sendTo(SendRequest.full(prev), dstZfs, ReceiveRequest.into(jvmDst));
                double[] zedS = new double[rounds];
                double[] rawS = new double[rounds];
                double[] jvmS = new double[rounds];
                for (int r = 1; r <= rounds; r++) {
                    fill(c, src, mib);
                    SnapshotName next = src.snapshot("r" + r);
                    zfs.snapshot(List.of(next), false, Map.of());
                    final SnapshotName from = prev;
                    Runnable zedRun = () -> {
                        ReplicationResult res = replicator.replicate(job);
                        if (res.outcome() != ReplicationResult.Outcome.REPLICATED) {
                            throw new IllegalStateException("zed: " + res.message());
                        }
                    };
                    Runnable rawRun = () -> check(c.run(List.of("sh", "-c", PIPE, "sh", from.value(), next.value(), rawDst.value())));
                    if (r % 2 == 1) {
                        zedS[r - 1] = time(zedRun);
                        rawS[r - 1] = time(rawRun);
                    } else {
                        rawS[r - 1] = time(rawRun);
                        zedS[r - 1] = time(zedRun);
                    }
                    jvmS[r - 1] = time(() -> srcZfs.sendTo(SendRequest.full(next).incrementalFrom(from, false), dstZfs, ReceiveRequest.into(jvmDst)));
                    zfs.destroy(rawDst.snapshot(from.shortName()), DestroyMode.SINGLE);
                    zfs.destroy(jvmDst.snapshot(from.shortName()), DestroyMode.SINGLE);   // the targets keep one: the pools are small
                    zfs.destroy(from, DestroyMode.SINGLE);                                 // zed's hold moved to `next`
                    prev = next;
                    System.out.printf("round %d: zed %.2f s, zfs send | zfs receive %.2f s, same stream over the 2 ssh sessions %.2f s%n",
                            r, zedS[r - 1], rawS[r - 1], jvmS[r - 1]);
                }
                System.out.printf("%nincremental replication, %d MiB incompressible, %d rounds (lab, %s → %s)%n", mib, rounds, pools.get(0), pools.get(1));
                System.out.printf("%-34s %8s %8s %8s %10s%n", "", "min s", "median s", "max s", "MiB/s med");
                row("zed replicate (JVM pipe, 2 ssh)", zedS, mib);
                row("zfs send -i | zfs receive (in VM)", rawS, mib);
                row("Zfs.sendTo, same 2 ssh sessions", jvmS, mib);
                System.out.printf("throughput ratio zed ÷ pipeline (medians): %.2f%n", median(rawS) / median(zedS));
                System.out.printf("throughput ratio zed ÷ the bare stream over the same ssh sessions (medians): %.2f%n", median(jvmS) / median(zedS));
            } finally {
                cleanup(zfs, c, src, zedDst, rawDst, jvmDst);
            }
        }
    }

    private static void fill(SshRunner r, DatasetName ds, int mib) {
        check(r.run(List.of("dd", "if=/dev/urandom", "of=/" + ds.value() + "/data", "bs=1M", "count=" + mib, "conv=fsync", "status=none")));
    }

    private static void cleanup(ZfsCli zfs, SshRunner r, DatasetName... all) {
        for (DatasetName ds : all) {
            if (zfs.exists(ds.value())) {
                zfs.snapshots(List.of(ds)).stream().filter(s -> s.isHeld()).forEach(s ->
                        zfs.holds(s.name()).forEach(h -> zfs.release(h.tag(), List.of(s.name()), false)));
                zfs.destroy(ds, DestroyMode.RECURSIVE);
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

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void row(String name, double[] v, int mib) {
        double[] s = v.clone();
        Arrays.sort(s);
        System.out.printf("%-34s %8.2f %8.2f %8.2f %10.1f%n", name, s[0], median(v), s[s.length - 1], mib / median(v));
    }
}
