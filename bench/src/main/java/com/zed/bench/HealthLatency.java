package com.zed.bench;

import com.zed.beam.BeamPingCheck;
import com.zed.beam.BeamTarget;
import com.zed.beam.HealthCheck;
import com.zed.beam.HealthResult;
import com.zed.beam.HttpCheck;
import com.zed.beam.RpcCheck;
import com.zed.beam.TcpCheck;
import com.zed.cli.Lab;
import com.zed.exec.CommandResult;
import com.zed.exec.Connector;
import com.zed.exec.SshRunner;
import com.zed.exec.SshTarget;
import com.zed.exec.Timeouts;
import com.zed.model.SecretRef;
import com.zed.secret.Secret;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Health-check round trip into the lab VM: through the SSH session (direct-tcpip channels, what Zed
 * does now) against the old direct connection (qemu port forwards, added for this run only through
 * the lab's qemu monitor and removed afterwards). The test release tiny runs in the VM with its HTTP
 * listener on all guest addresses, so that the forward can reach it. Every check run opens fresh
 * connections, as in a deploy.
 *
 * <p>Usage: {@code bench/health [N] [RELEASE_TARBALL]}
 */
public final class HealthLatency {

    record Result(String name, double medianMs, double p90Ms) { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path tarball = Path.of(args.length > 1 ? args[1] : "target/dist/tiny/tiny-1.0.1.tar.gz");
        SshTarget t = Lab.target().orElseThrow(() -> new IllegalStateException(Lab.whyNot()));
        Path monitor = Lab.runDir().resolve("monitor");
        if (!Files.exists(monitor)) {
            throw new IllegalStateException("no qemu monitor at " + monitor + ": restart the lab (scripts/lab down && scripts/lab up)");
        }
        String tag = Long.toHexString(System.nanoTime() & 0xffffff);
        String dir = "/tmp/zed-bench-" + tag;
        String unit = "zed-bench-" + tag;
        String env = "/run/zed-bench-" + tag + ".env";
        String node = "bench" + tag + "@127.0.0.1";
        String cookieValue = "bench-" + UUID.randomUUID();
        int epmdFwd = freePort();
        int dist = freePort();
        int http = freePort();
        List<String> forwards = List.of("tcp:127.0.0.1:" + epmdFwd + "-:4369", "tcp:127.0.0.1:" + dist + "-:" + dist,
                "tcp:127.0.0.1:" + http + "-:" + http);
        try (SshRunner ssh = new SshRunner(t)) {
            Connector via = ssh.connector();
            check(ssh.run(List.of("mkdir", "-p", dir)));
            try (InputStream in = Files.newInputStream(tarball)) {
                check(ssh.run(List.of("tar", "-xzf", "-", "-C", dir), in, Timeouts.Kind.UNPACK));
            }
            check(ssh.run(List.of("install", "-m", "600", "/dev/null", env)));
            check(ssh.run(List.of("dd", "of=" + env, "status=none"), ("RELEASE_NODE=" + node
                    + "\nRELEASE_DISTRIBUTION=name\nRELEASE_COOKIE=" + cookieValue + "\nTINY_HTTP_IP=0.0.0.0\nTINY_HTTP_PORT="
                    + http + "\nTINY_DIST_PORT=" + dist + "\n").getBytes(StandardCharsets.UTF_8)));
            check(ssh.run(List.of("tee", "/run/systemd/system/" + unit + ".service"), ("[Service]\nEnvironmentFile=" + env
                    + "\nExecStart=" + dir + "/bin/tiny start\n").getBytes(StandardCharsets.UTF_8)));
            check(ssh.run(List.of("systemctl", "daemon-reload")));
            check(ssh.run(List.of("systemctl", "start", unit + ".service"), Timeouts.Kind.SERVICE));
            for (String f : forwards) {
                hmp(monitor, "hostfwd_add n0 " + f);
            }
            try {
                Secret cookie = Secret.of(new SecretRef.Env("RELEASE_COOKIE"), cookieValue);
                Duration to = Duration.ofSeconds(10);
                BeamTarget direct = new BeamTarget(node, cookie, "127.0.0.1", epmdFwd);
                BeamTarget tunnel = BeamTarget.via(via, node, cookie, 4369);
                String url = "http://127.0.0.1:" + http + "/health";
                await(new BeamPingCheck(tunnel, to));
                await(new HttpCheck(url, 200, to, via));
                await(new BeamPingCheck(direct, to));
                var results = new ArrayList<Result>();
                results.add(measure("beamPing, direct (qemu forward)", n, new BeamPingCheck(direct, to)));
                results.add(measure("beamPing, through SSH", n, new BeamPingCheck(tunnel, to)));
                results.add(measure("rpc Tiny.health, direct", n, new RpcCheck(direct, "Elixir.Tiny", "health", List.of(), "ok", to)));
                results.add(measure("rpc Tiny.health, through SSH", n, new RpcCheck(tunnel, "Elixir.Tiny", "health", List.of(), "ok", to)));
                results.add(measure("http GET /health, direct", n, new HttpCheck(url, 200, to)));
                results.add(measure("http GET /health, through SSH", n, new HttpCheck(url, 200, to, via)));
                results.add(measure("tcp connect, direct", n, new TcpCheck("127.0.0.1", http, to)));
                results.add(measure("tcp connect, through SSH", n, new TcpCheck("127.0.0.1", http, to, via)));
                System.out.printf("%-34s %10s %10s %12s%n", "health check round trip (n=" + n + ")", "median ms", "p90 ms", "SSH/direct");
                for (int i = 0; i < results.size(); i++) {
                    Result r = results.get(i);
                    String ratio = i % 2 == 1 ? String.format("%11.2fx", r.medianMs() / results.get(i - 1).medianMs()) : "";
                    System.out.printf("%-34s %10.1f %10.1f %12s%n", r.name(), r.medianMs(), r.p90Ms(), ratio);
                }
            } finally {
                for (String f : forwards) {
                    try {
                        hmp(monitor, "hostfwd_remove n0 " + f.substring(0, f.indexOf('-')));
                    } catch (IOException e) {
                        System.err.println("could not remove forward " + f + ": " + e.getMessage());
                    }
                }
                ssh.run(List.of("systemctl", "stop", unit + ".service"), Timeouts.Kind.SERVICE);
                ssh.run(List.of("rm", "-rf", dir, env, "/run/systemd/system/" + unit + ".service"));
                ssh.run(List.of("systemctl", "daemon-reload"));
            }
        }
    }

    private static void await(HealthCheck c) throws InterruptedException {
        HealthResult r = null;
        for (int i = 0; i < 120; i++) {
            r = c.check();
            if (r.healthy()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("not healthy: " + r);
    }

    private static Result measure(String name, int n, HealthCheck c) {
        c.check(); // warm-up: JIT, classes
        c.check();
        double[] ms = new double[n];
        for (int k = 0; k < n; k++) {
            long t0 = System.nanoTime();
            HealthResult r = c.check();
            ms[k] = (System.nanoTime() - t0) / 1e6;
            if (!r.healthy()) {
                throw new IllegalStateException(name + ": " + r);
            }
        }
        Arrays.sort(ms);
        return new Result(name, ms[n / 2], ms[Math.min(n - 1, (int) Math.ceil(n * 0.9) - 1)]);
    }

    /** One command to the qemu human monitor (HMP) on its unix socket; fails on an error answer. */
    static String hmp(Path socket, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            readUntilPrompt(ch);
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            String answer = readUntilPrompt(ch);
            String lower = answer.toLowerCase();
            if (lower.contains("could not") || lower.contains("invalid") || lower.contains("error") || lower.contains("unknown")) {
                throw new IOException("qemu monitor: " + command + ": " + answer.strip());
            }
            return answer;
        }
    }

    private static String readUntilPrompt(SocketChannel ch) throws IOException {
        var sb = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (!sb.toString().endsWith("(qemu) ")) {
            buf.clear();
            if (ch.read(buf) < 0) {
                throw new IOException("qemu monitor closed the connection");
            }
            buf.flip();
            sb.append(StandardCharsets.ISO_8859_1.decode(buf));
        }
        return sb.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void check(CommandResult r) {
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", r.argv().subList(0, Math.min(2, r.argv().size())))
                    + " failed: " + r.stderr().strip());
        }
    }
}
