package com.zed.bench;

import com.zed.cli.Lab;
import com.zed.exec.CommandRunner;
import com.zed.exec.LocalRunner;
import com.zed.exec.SshRunner;
import com.zed.exec.SshTarget;
import com.zed.zfs.DatasetName;
import com.zed.zfs.DestroyMode;
import com.zed.zfs.ZfsCli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-command latency into the lab VM. Baseline, measured in the same run: a new OpenSSH
 * connection per command (what a naive tool does). Against it: Zed's one JSch session with a
 * channel per command, for a no-op and for the zfs calls a converge makes.
 */
public final class LabLatency {

    interface Op {
        void run() throws Exception;
    }

    record Result(String name, double medianMs, double p90Ms) { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        SshTarget t = Lab.target().orElseThrow(() -> new IllegalStateException(Lab.whyNot()));
        var local = new LocalRunner();
        List<String> ssh = List.of("ssh", "-p", String.valueOf(t.port()), "-i", t.identity().toString(),
                "-o", "UserKnownHostsFile=" + t.knownHosts(), "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes", "-o", "ControlMaster=no", "-o", "ControlPath=none",
                t.user() + "@" + t.host());
        try (CommandRunner jsch = new SshRunner(t)) {
            var zfs = new ZfsCli(jsch);
            DatasetName ds = DatasetName.of("jeff/zed-bench");
            if (!zfs.exists(ds.value())) {
                zfs.create(ds, Map.of(), false);
            }
            var results = new ArrayList<Result>();
            results.add(measure("baseline: new ssh connection, true", n, () -> check(local.run(concat(ssh, "true")).ok())));
            results.add(measure("jsch session, true", n, () -> check(jsch.run(List.of("true")).ok())));
            results.add(measure("jsch session, zfs get -Hp all (1 ds)", n, () -> zfs.properties(ds, false)));
            results.add(measure("jsch session, zfs get -Hp -r all (pool)", n, () -> zfs.properties(DatasetName.of("jeff"), true)));
            int[] i = {0};
            results.add(measure("jsch session, zfs snapshot + destroy", n, () -> {
                var s = ds.snapshot("b" + i[0]++);
                zfs.snapshot(List.of(s), false, Map.of());
                zfs.destroy(s, DestroyMode.SINGLE);
            }));
            zfs.destroy(ds, DestroyMode.RECURSIVE);
            double base = results.get(0).medianMs();
            System.out.printf("%-44s %10s %10s %12s%n", "lab latency (n=" + n + ")", "median ms", "p90 ms", "vs baseline");
            for (Result r : results) {
                System.out.printf("%-44s %10.1f %10.1f %11.2fx%n", r.name(), r.medianMs(), r.p90Ms(), r.medianMs() / base);
            }
        }
    }

    private static List<String> concat(List<String> a, String... more) {
        var l = new ArrayList<>(a);
        l.addAll(List.of(more));
        return l;
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("command failed");
        }
    }

    private static Result measure(String name, int n, Op op) throws Exception {
        op.run(); // warm-up: connection, JIT
        op.run();
        double[] ms = new double[n];
        for (int k = 0; k < n; k++) {
            long t0 = System.nanoTime();
            op.run();
            ms[k] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return new Result(name, ms[n / 2], ms[Math.min(n - 1, (int) Math.ceil(n * 0.9) - 1)]);
    }
}
