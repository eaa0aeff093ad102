package com.zed.converge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zed.model.Deployment;
import com.zed.zfs.DatasetName;
import com.zed.zfs.DestroyMode;
import com.zed.zfs.Property;
import com.zed.zfs.PropertyName;
import com.zed.zfs.PropertySource;
import com.zed.zfs.PropertyTable;
import com.zed.zfs.SnapshotInfo;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.Zfs;
import com.zed.zfs.ZfsException;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Applies a deployment: lock the pool → read state → plan → atomic before-deploy snapshot →
 * steps → verify by re-reading → prune. Any failure rolls back: created datasets destroyed,
 * changed datasets rolled back to the snapshot and their properties restored, the result
 * verified against the state read before.
 */
public final class Converger {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Zfs zfs;
    private final Clock clock;
    private final Actor actor;
    private final Consumer<String> progress;
    private final AppRuntime runtime;

    public enum Outcome { NO_CHANGES, APPLIED, ROLLED_BACK }

    /**
     * @param force deploy a version even though it is ghosted (it failed its health check before)
     */
    public record Options(String scriptHash, boolean breakLock, boolean force) {
        public Options(String scriptHash, boolean breakLock) {
            this(scriptHash, breakLock, false);
        }
    }

    /** The declared version failed its health check earlier and was rolled back. */
    public static final class GhostedVersionException extends RuntimeException {
        public GhostedVersionException(String app, String version, DatasetName ds) {
            super("app " + app + " " + version + " failed its health check earlier and was rolled back ("
                    + ZedProperties.GHOSTED + " on " + ds + "); deploy it again only with --force");
        }
    }

    /**
     * @param snapshot the before-deploy snapshot's short name, when one was taken
     * @param error    what failed, when the outcome is ROLLED_BACK
     */
    public record Result(Outcome outcome, Plan plan, Optional<String> snapshot, List<SnapshotName> pruned,
                         Optional<String> error) { }

    /**
     * How one property goes back: {@code set} its value, {@code inherit} (it was inherited, default
     * or unset), or {@code received} (zfs inherit -S: back to the value a receive brought).
     */
    public record Restore(String how, String value) {
        static Restore set(String v) {
            return new Restore("set", v);
        }
    }

    /** A step failed, then the rollback did not restore the state read before. Needs a human. */
    public static final class RollbackFailedException extends RuntimeException {
        public RollbackFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Converger(Zfs zfs, Clock clock, Actor actor, Consumer<String> progress) {
        this(zfs, clock, actor, progress, AppRuntime.RECORD_ONLY);
    }

    public Converger(Zfs zfs, Clock clock, Actor actor, Consumer<String> progress, AppRuntime runtime) {
        this.zfs = zfs;
        this.clock = clock;
        this.actor = actor;
        this.progress = progress;
        this.runtime = runtime;
    }

    /** Reads the pool's actual state (one zfs call) and plans against it. Changes nothing. */
    public Plan plan(Deployment d) {
        return Planner.plan(d, read(d));
    }

    private PropertyTable read(Deployment d) {
        return zfs.properties(d.pool().root(), true);
    }

    public Result converge(Deployment d, Options o) {
        return converge(d, o, plan(d));
    }

    /**
     * As {@link #converge(Deployment, Options)}, given the plan the caller already made without the
     * lock (e.g. to show it first), so the pool is not read for it again.
     */
    public Result converge(Deployment d, Options o, Plan unlocked) {
        // Planned without the lock: a converged pool is not touched at all, not even locked.
        if (unlocked.isEmpty()) {
            return new Result(Outcome.NO_CHANGES, unlocked, Optional.empty(), List.of(), Optional.empty());
        }
        try (PoolLock lock = PoolLock.acquire(zfs, d.pool(), actor.toString(), actor.host(), o.breakLock(), clock)) {
            // Under the lock, read again: another converge may have changed the pool meanwhile.
            PropertyTable before = read(d);
            Plan plan = Planner.plan(d, before);
            if (plan.isEmpty()) {
                return new Result(Outcome.NO_CHANGES, plan, Optional.empty(), List.of(), Optional.empty());
            }
            precheck(d, plan, before, o);
            return apply(d, plan, before, o);
        }
    }

    /** Everything that can be known to fail is checked before the first change: releases, ghosts. */
    private void precheck(Deployment d, Plan plan, PropertyTable before, Options o) {
        for (Step s : plan.steps()) {
            if (s instanceof Step.DeployApp a) {
                var app = app(d, a);
                String ghosts = before.value(a.dataset().value(), ZedProperties.GHOSTED.value()).orElse("");
                if (!o.force() && java.util.Arrays.asList(ghosts.split(",")).contains(a.toVersion())) {
                    throw new GhostedVersionException(a.app(), a.toVersion(), a.dataset());
                }
                runtime.check(app);
            }
        }
    }

    private static com.zed.model.AppSpec app(Deployment d, Step.DeployApp a) {
        return d.app(a.app()).orElseThrow(() -> new IllegalStateException("plan names unknown app " + a.app()));
    }

    private String mountpoint(DatasetName ds) {
        return zfs.properties(ds.value(), List.of(PropertyName.of("mountpoint"))).value(ds.value(), "mountpoint")
                .orElseThrow(() -> new IllegalStateException(ds + " has no mountpoint"));
    }

    private Result apply(Deployment d, Plan plan, PropertyTable before, Options o) {
        String at = clock.instant().toString();
        String snapName = "zed-" + d.name() + "-" + STAMP.format(clock.instant());
        Map<PropertyName, String> bookkeeping = Map.of(ZedProperties.DEPLOYED_AT, at,
                ZedProperties.DEPLOYED_BY, actor.toString(), ZedProperties.SCRIPT_HASH, o.scriptHash());
        Map<DatasetName, Map<String, Restore>> restore = restoreRecord(plan, before, bookkeeping.keySet());
        List<DatasetName> implicitParents = missingParents(plan, before);

        List<SnapshotName> snaps = new ArrayList<>();
        List<Step.DeployApp> started = new ArrayList<>();
        if (d.snapshots().beforeDeploy() && !plan.existingAffected().isEmpty()) {
            plan.existingAffected().forEach(ds -> snaps.add(ds.snapshot(snapName)));
            progress.accept("snapshot " + snaps.size() + " dataset(s) @" + snapName);
            zfs.snapshot(snaps, false, Map.of(
                    ZedProperties.SNAPSHOT, ZedProperties.BEFORE_DEPLOY, ZedProperties.DEPLOY, d.name(),
                    ZedProperties.AT, at, ZedProperties.BY, actor.toString(), ZedProperties.SCRIPT_HASH, o.scriptHash(),
                    ZedProperties.RESULT, "pending", ZedProperties.SUMMARY, plan.summary()));
            for (SnapshotName s : snaps) {
                zfs.set(s.value(), Map.of(ZedProperties.RESTORE, json(restore.get(s.dataset()))));
            }
        }

        try {
            for (Step step : plan.steps()) {
                progress.accept(describe(step));
                if (step instanceof Step.DeployApp a) {
                    started.add(a);
                    runtime.deploy(app(d, a), a.dataset(), mountpoint(a.dataset()), a.fromVersion());
                }
                execute(step, bookkeeping);
            }
            PropertyTable after = read(d);
            Plan left = Planner.plan(d, after);
            if (!left.isEmpty()) {
                throw new IllegalStateException("verify failed: after apply, still to do: " + left.summary());
            }
        } catch (RuntimeException failure) {
            progress.accept("FAILED: " + failure.getMessage() + " — rolling back");
            rollback(d, plan, before, restore, snaps, implicitParents, started, failure);
            return new Result(Outcome.ROLLED_BACK, plan, snaps.isEmpty() ? Optional.empty() : Optional.of(snapName),
                    List.of(), Optional.of(failure.getMessage()));
        }
        for (SnapshotName s : snaps) {
            zfs.set(s.value(), Map.of(ZedProperties.RESULT, "ok"));
        }
        List<SnapshotName> pruned = prune(d);
        return new Result(Outcome.APPLIED, plan, snaps.isEmpty() ? Optional.empty() : Optional.of(snapName), pruned,
                Optional.empty());
    }

    private void execute(Step step, Map<PropertyName, String> bookkeeping) {
        if (step instanceof Step.CreateDataset c) {
            var props = new TreeMap<>(c.properties());
            props.putAll(bookkeeping);
            zfs.create(c.dataset(), props, true);
        } else if (step instanceof Step.SetProperties s) {
            var props = new TreeMap<PropertyName, String>();
            s.changes().forEach(ch -> props.put(ch.property(), ch.to()));
            props.putAll(bookkeeping);
            zfs.set(s.dataset().value(), props);
        } else if (step instanceof Step.DeployApp a) {
            var props = new TreeMap<PropertyName, String>(bookkeeping);
            props.put(ZedProperties.APP, a.app());
            props.put(ZedProperties.VERSION, a.toVersion());
            zfs.set(a.dataset().value(), props);
        }
    }

    /**
     * For each existing dataset the plan touches: every property it will write, as it was before
     * (its local or received value; null when it was inherited, default or unset → inherit back).
     */
    private static Map<DatasetName, Map<String, Restore>> restoreRecord(Plan plan, PropertyTable before,
                                                                       java.util.Set<PropertyName> bookkeeping) {
        var out = new LinkedHashMap<DatasetName, Map<String, Restore>>();
        for (DatasetName ds : plan.existingAffected()) {
            var touched = new java.util.TreeSet<PropertyName>(bookkeeping);
            for (Step s : plan.steps()) {
                if (!s.dataset().equals(ds)) {
                    continue;
                }
                if (s instanceof Step.SetProperties sp) {
                    sp.changes().forEach(c -> touched.add(c.property()));
                } else if (s instanceof Step.DeployApp) {
                    touched.add(ZedProperties.APP);
                    touched.add(ZedProperties.VERSION);
                }
            }
            var have = before.of(ds.value());
            var m = new TreeMap<String, Restore>();
            for (PropertyName p : touched) {
                Property v = have.get(p);
                if (v != null && v.source().kind() == PropertySource.Kind.RECEIVED) {
                    m.put(p.value(), new Restore("received", v.value()));
                } else if (!com.zed.zfs.PropertyValues.inheritable(p)) {
                    // zfs inherit refuses these (quota, reservation, …): put the value itself back
                    m.put(p.value(), Restore.set(com.zed.zfs.PropertyValues.restoreValue(p, v == null ? null : v.value())));
                } else if (v != null && v.source().kind() == PropertySource.Kind.LOCAL && v.hasValue()) {
                    m.put(p.value(), Restore.set(v.value()));
                } else {
                    m.put(p.value(), new Restore("inherit", null));
                }
            }
            out.put(ds, m);
        }
        return out;
    }

    /** Ancestors of created datasets that do not exist yet: {@code create -p} makes them, rollback removes them. */
    private static List<DatasetName> missingParents(Plan plan, PropertyTable before) {
        var out = new java.util.LinkedHashSet<DatasetName>();
        for (DatasetName c : plan.created()) {
            Optional<DatasetName> p = c.parent();
            while (p.isPresent() && !before.contains(p.get().value()) && !plan.created().contains(p.get())) {
                out.add(p.get());
                p = p.get().parent();
            }
        }
        return new ArrayList<>(out);
    }

    private void rollback(Deployment d, Plan plan, PropertyTable before, Map<DatasetName, Map<String, Restore>> restore,
                          List<SnapshotName> snaps, List<DatasetName> implicitParents, List<Step.DeployApp> started,
                          RuntimeException failure) {
        // Best effort, in order: one failed action must not stop the others; all are reported.
        var failures = new ArrayList<String>();
        for (Step.DeployApp a : started) {
            attempt(failures, "stop " + a.app(), () -> runtime.stop(app(d, a)));
        }
        var doomed = new ArrayList<DatasetName>(plan.created());
        doomed.addAll(implicitParents);
        doomed.sort(Comparator.comparingInt((DatasetName n) -> n.value().split("/").length).reversed());
        for (DatasetName n : doomed) {
            attempt(failures, "destroy " + n, () -> {
                if (zfs.exists(n.value())) {
                    zfs.destroy(n, DestroyMode.SINGLE);
                }
            });
        }
        for (SnapshotName s : snaps) {
            attempt(failures, "zfs rollback " + s, () -> zfs.rollback(s, false));
        }
        restore.forEach((ds, props) -> attempt(failures, "restore properties of " + ds, () -> restoreProperties(zfs, ds, props)));
        for (SnapshotName s : snaps) {
            attempt(failures, "mark " + s, () -> zfs.set(s.value(), Map.of(ZedProperties.RESULT, "rolled-back")));
        }
        attempt(failures, "verify", () -> verifyRestored(d, before, plan));
        for (Step.DeployApp a : started) {
            if (plan.created().contains(a.dataset())) {
                continue;  // nothing ran there before this deploy
            }
            attempt(failures, "restart " + a.app() + " " + a.fromVersion().orElse("(none)"),
                    () -> runtime.restore(app(d, a), mountpoint(a.dataset()), a.fromVersion()));
            if (failure instanceof AppRuntime.HealthCheckFailedException h && h.app().equals(a.app())) {
                // Set after the rollback so it survives it: this version is not redeployed without --force.
                attempt(failures, "ghost " + a.app() + " " + a.toVersion(), () -> ghost(a.dataset(), a.toVersion()));
            }
        }
        if (!failures.isEmpty()) {
            var rf = new RollbackFailedException("apply failed (" + failure.getMessage()
                    + ") and the rollback did not complete: " + String.join("; ", failures), null);
            rf.addSuppressed(failure);
            throw rf;
        }
    }

    private void attempt(List<String> failures, String what, Runnable action) {
        progress.accept("rollback: " + what);
        try {
            action.run();
        } catch (RuntimeException e) {
            failures.add(what + ": " + e.getMessage());
        }
    }

    /**
     * Puts properties back as a restore record says — only those not already as recorded: a
     * property whose change never happened is left alone (for quota and the like, a restore by
     * value would turn a default into a local value: ZFS cannot make it "default" again).
     */
    static void restoreProperties(Zfs zfs, DatasetName ds, Map<String, Restore> props) {
        var now = zfs.properties(ds, false).of(ds.value());
        var set = new TreeMap<PropertyName, String>();
        var inherit = new ArrayList<Map.Entry<String, Restore>>();
        props.forEach((k, r) -> {
            PropertyName p = PropertyName.of(k);
            if (satisfied(p, now.get(p), r)) {
                return;
            }
            if (r.how().equals("set")) {
                set.put(p, r.value());
            } else {
                inherit.add(Map.entry(k, r));
            }
        });
        if (!set.isEmpty()) {
            zfs.set(ds.value(), set);
        }
        inherit.forEach(e -> zfs.inherit(ds.value(), PropertyName.of(e.getKey()), false, e.getValue().how().equals("received")));
    }

    static boolean satisfied(PropertyName p, Property now, Restore r) {
        PropertySource.Kind kind = now == null ? PropertySource.Kind.NONE : now.source().kind();
        return switch (r.how()) {
            case "received" -> kind == PropertySource.Kind.RECEIVED && now.value().equals(r.value());
            case "inherit" -> now == null || (p.isUser() && !now.hasValue())
                    || kind == PropertySource.Kind.INHERITED || kind == PropertySource.Kind.DEFAULT;
            default -> now != null && com.zed.zfs.PropertyValues.same(p, now.value(), r.value())
                    && (kind == PropertySource.Kind.LOCAL
                    || (!com.zed.zfs.PropertyValues.inheritable(p) && kind == PropertySource.Kind.DEFAULT));
        };
    }

    private void verifyRestored(Deployment d, PropertyTable before, Plan plan) {
        PropertyTable now = read(d);
        var wrong = new ArrayList<String>();
        for (DatasetName ds : plan.existingAffected()) {
            var a = comparable(before.of(ds.value()));
            var b = comparable(now.of(ds.value()));
            if (!a.equals(b)) {
                var diff = new TreeMap<String, String>();
                a.forEach((k, v) -> {
                    if (!v.equals(b.get(k))) {
                        diff.put(k, v + " → " + b.get(k));
                    }
                });
                wrong.add(ds + " " + diff);
            }
        }
        for (DatasetName c : plan.created()) {
            if (now.contains(c.value())) {
                wrong.add(c + " still exists");
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("state after rollback differs: " + String.join("; ", wrong));
        }
    }

    private void ghost(DatasetName ds, String version) {
        String now = zfs.properties(ds.value(), List.of(ZedProperties.GHOSTED)).value(ds.value(), ZedProperties.GHOSTED.value())
                .orElse("");
        var set = new java.util.LinkedHashSet<String>();
        for (String v : now.split(",")) {
            if (!v.isBlank()) {
                set.add(v);
            }
        }
        set.add(version);
        zfs.set(ds.value(), Map.of(ZedProperties.GHOSTED, String.join(",", set)));
    }

    /** Non-volatile properties as value+source strings, for before/after comparison. */
    public static Map<String, String> comparable(Map<PropertyName, Property> props) {
        var m = new TreeMap<String, String>();
        props.forEach((k, v) -> {
            if (!ZedProperties.VOLATILE.contains(k.value()) && !ZedProperties.OUTCOME.contains(k.value())) {
                m.put(k.value(), v.value() + " (" + v.source() + ")");
            }
        });
        return m;
    }

    /**
     * Keeps the newest {@code keep} before-deploy snapshots of this deploy on each dataset. Only
     * Zed's own (marked by a property set on the snapshot, not by its name), never a held one.
     */
    List<SnapshotName> prune(Deployment d) {
        var byDataset = new LinkedHashMap<DatasetName, List<SnapshotInfo>>();
        for (SnapshotInfo s : zfs.snapshots(d.pool().root(), true)) {
            if (isBeforeDeploy(s, d.name())) {
                byDataset.computeIfAbsent(s.name().dataset(), k -> new ArrayList<>()).add(s);
            }
        }
        var pruned = new ArrayList<SnapshotName>();
        int keep = Math.max(1, d.snapshots().keep());
        byDataset.forEach((ds, list) -> {
            // snapshots() is oldest first; everything before the newest `keep` may go
            for (int i = 0; i < list.size() - keep; i++) {
                SnapshotInfo s = list.get(i);
                if (s.isHeld()) {
                    continue;
                }
                try {
                    zfs.destroy(s.name(), DestroyMode.SINGLE);
                    pruned.add(s.name());
                } catch (ZfsException.DatasetBusyException e) {
                    progress.accept("retention: kept " + s.name() + " (" + e.reason().name().toLowerCase() + ")");
                }
            }
        });
        if (!pruned.isEmpty()) {
            progress.accept("retention: pruned " + pruned.size() + " snapshot(s)");
        }
        return pruned;
    }

    static boolean isBeforeDeploy(SnapshotInfo s, String deploy) {
        return s.user(ZedProperties.SNAPSHOT).filter(ZedProperties.BEFORE_DEPLOY::equals).isPresent()
                && s.user(ZedProperties.DEPLOY).filter(deploy::equals).isPresent();
    }

    static String describe(Step s) {
        if (s instanceof Step.CreateDataset c) {
            return "create " + c.dataset();
        }
        if (s instanceof Step.SetProperties p) {
            return "set " + p.changes().stream().map(c -> c.property().value()).toList() + " on " + p.dataset();
        }
        Step.DeployApp a = (Step.DeployApp) s;
        return "deploy " + a.app() + " " + a.toVersion() + " on " + a.dataset();
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a snapshot's {@code com.zed:restore} record. */
    public static Map<String, Restore> parseRestore(String json) {
        try {
            return JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<TreeMap<String, Restore>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable com.zed:restore record: " + e.getOriginalMessage(), e);
        }
    }

}
