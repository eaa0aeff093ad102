package com.zed.cli;

import com.zed.exec.CommandResult;
import com.zed.exec.CommandRunner;
import com.zed.zfs.DatasetName;
import com.zed.zfs.DestroyMode;
import com.zed.zfs.PoolName;
import com.zed.zfs.PropertyName;
import com.zed.zfs.ReceiveRequest;
import com.zed.zfs.SendRequest;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.ZfsCli;
import com.zed.zfs.ZfsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A live smoke of the ZFS core: every operation Zed relies on, run once against a real pool in a
 * scratch dataset that is destroyed afterwards. Prints each step with its latency.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Exercise the ZFS core against a real pool (scratch dataset, removed afterwards).")
public final class SelftestCommand implements Callable<Integer> {

    @Mixin
    TargetOptions target;

    @Option(names = "--pool", defaultValue = "jeff", description = "Pool to use (default: ${DEFAULT-VALUE}).")
    String pool;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--keep", description = "Keep the scratch datasets for inspection.")
    boolean keep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    record Step(String name, String detail, long millis, boolean ok, String error) { }

    private final List<Step> steps = new ArrayList<>();
    private final List<Long> commandMillis = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PoolName p = PoolName.of(pool);
        DatasetName root = p.root().child("zed-selftest-" + ProcessHandle.current().pid());
        DatasetName app = root.child("app");
        DatasetName copy = p.root().child("zed-selftest-" + ProcessHandle.current().pid() + "-copy");
        PropertyName mark = PropertyName.zed("selftest");
        try (CommandRunner runner = target.runner(spec.commandLine())) {
            var zfs = new ZfsCli(runner, "zfs", this::observe);
            if (!json) {
                out.printf("zed selftest on %s, pool %s%n", runner.describe(), pool);
            }
            step(out, "version", () -> zfs.version());
            step(out, "create -p with properties", () -> {
                zfs.create(app, Map.of(PropertyName.of("compression"), "lz4", mark, "yes"), true);
                return app.value();
            });
            step(out, "get -r (one call)", () -> {
                var t = zfs.properties(root, true);
                expect(t.value(app.value(), "compression").orElse("").equals("lz4"), "compression is not lz4");
                expect(t.value(app.value(), mark.value()).orElse("").equals("yes"), "user property missing");
                return t.size() + " datasets, " + t.of(app.value()).size() + " properties each";
            });
            step(out, "set two properties", () -> {
                zfs.set(app.value(), Map.of(PropertyName.of("atime"), "off", PropertyName.zed("version"), "1.0.0"));
                return "atime=off com.zed:version=1.0.0";
            });
            step(out, "inherit", () -> {
                zfs.inherit(app.value(), PropertyName.of("atime"), false, false);
                return "atime";
            });
            String mnt = zfs.properties(app.value(), List.of(PropertyName.of("mountpoint")))
                    .value(app.value(), "mountpoint").orElseThrow();
            runner.run(List.of("touch", mnt + "/before"));
            SnapshotName s1 = root.snapshot("selftest-1");
            SnapshotName a1 = app.snapshot("selftest-1");
            step(out, "snapshot (atomic, 2 datasets)", () -> {
                zfs.snapshot(List.of(s1, a1), false, Map.of(mark, "before"));
                return s1 + " " + a1;
            });
            step(out, "list snapshots", () -> {
                var snaps = zfs.snapshots(root, true);
                expect(snaps.size() == 2 && snaps.stream().allMatch(s -> s.isZeds()), "expected 2 Zed snapshots");
                return snaps.size() + " snapshots";
            });
            runner.run(List.of("touch", mnt + "/after"));
            step(out, "diff", () -> {
                var d = zfs.diff(a1, app.value());
                expect(d.stream().anyMatch(e -> e.path().endsWith("/after")), "diff does not show /after");
                return d.size() + " entries";
            });
            step(out, "hold blocks destroy", () -> {
                zfs.hold("zed-selftest", List.of(a1), false);
                try {
                    zfs.destroy(a1, DestroyMode.SINGLE);
                    throw new IllegalStateException("destroy of a held snapshot succeeded");
                } catch (ZfsException.DatasetBusyException expected) {
                    // what we want to see
                } finally {
                    zfs.release("zed-selftest", List.of(a1), false);
                }
                return "busy while held, released";
            });
            step(out, "bookmark", () -> {
                zfs.bookmark(a1, app.bookmark("selftest-1"));
                return zfs.bookmarks(app).toString();
            });
            step(out, "clone + promote", () -> {
                DatasetName clone = root.child("clone");
                zfs.clone(a1, clone, Map.of(), false);
                zfs.promote(clone);
                zfs.promote(app); // and back, so the tree is as before
                zfs.destroy(clone, DestroyMode.SINGLE);
                return clone.value();
            });
            step(out, "send -R | receive", () -> {
                long bytes = zfs.sendTo(SendRequest.full(s1).withReplicate(), zfs, ReceiveRequest.into(copy));
                var t = zfs.properties(copy.child("app"), false);
                expect(t.value(copy.child("app").value(), mark.value()).orElse("").equals("yes"),
                        "user property did not travel");
                return bytes + " bytes";
            });
            step(out, "rollback", () -> {
                zfs.rollback(a1, false);
                var d = zfs.diff(a1, app.value());
                expect(d.isEmpty(), "diff after rollback is not empty");
                return a1.value();
            });
            if (!keep) {
                step(out, "destroy -r (cleanup)", () -> cleanup(zfs, root, copy));
            }
        } catch (RuntimeException e) {
            if (!keep) {
                try (CommandRunner again = target.runner(spec.commandLine())) {
                    cleanup(new ZfsCli(again), root, copy);
                } catch (RuntimeException ignored) {
                    // the failure already reported is the one that matters
                }
            }
            throw e;
        } finally {
            report(out);
        }
        return steps.stream().allMatch(Step::ok) ? Main.OK : Main.ERROR;
    }

    /** Releases any holds under the scratch trees, then destroys them. */
    private static String cleanup(ZfsCli zfs, DatasetName... trees) {
        var gone = new ArrayList<String>();
        for (DatasetName t : trees) {
            if (!zfs.exists(t.value())) {
                continue;
            }
            for (var s : zfs.snapshots(t, true)) {
                if (s.isHeld()) {
                    zfs.holds(s.name()).forEach(h -> zfs.release(h.tag(), List.of(s.name()), false));
                }
            }
            zfs.destroy(t, DestroyMode.RECURSIVE_AND_CLONES);
            gone.add(t.value());
        }
        return String.join(", ", gone);
    }

    private void observe(CommandResult r) {
        commandMillis.add(r.elapsed().toMillis());
    }

    interface Body {
        String run() throws Exception;
    }

    private void step(PrintWriter out, String name, Body body) {
        long t0 = System.nanoTime();
        Step s;
        try {
            String detail = body.run();
            s = new Step(name, detail, (System.nanoTime() - t0) / 1_000_000, true, null);
        } catch (Exception e) {
            s = new Step(name, "", (System.nanoTime() - t0) / 1_000_000, false, e.getMessage());
        }
        steps.add(s);
        if (!json) {
            out.printf("  %-4s %-32s %6d ms  %s%n", s.ok() ? "ok" : "FAIL", s.name(), s.millis(),
                    s.ok() ? s.detail() : s.error());
            out.flush();
        }
    }

    private static void expect(boolean cond, String message) {
        if (!cond) {
            throw new IllegalStateException(message);
        }
    }

    private void report(PrintWriter out) throws Exception {
        var sorted = commandMillis.stream().sorted().toList();
        long median = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        long failed = steps.stream().filter(s -> !s.ok()).count();
        if (json) {
            var m = new LinkedHashMap<String, Object>();
            m.put("pool", pool);
            m.put("steps", steps);
            m.put("commands", sorted.size());
            m.put("medianCommandMillis", median);
            m.put("failed", failed);
            out.println(ScriptCommand.JSON.writeValueAsString(m));
        } else {
            out.printf("%d steps, %d failed; %d zfs commands, median %d ms per command%n",
                    steps.size(), failed, sorted.size(), median);
        }
        out.flush();
    }
}
