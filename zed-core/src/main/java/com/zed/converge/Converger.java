package com.zed.converge;

import com.zed.model.AppSpec;
import com.zed.model.Deployment;
import com.zed.zfs.DatasetName;
import com.zed.zfs.Property;
import com.zed.zfs.PropertyName;
import com.zed.zfs.PropertyTable;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.Zfs;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Applies a deployment as one transaction: lock the pool (recovering an interrupted transaction
 * first) → read state → plan → record the intent on the lock → keep the files outside ZFS → atomic
 * before-deploy snapshot → steps, each journaled → verify by re-reading → commit → retention. Any
 * failure, or an operator's SIGINT/SIGTERM, undoes it through {@link UndoPlan}; a crash leaves the
 * journal for the next run ({@link Recovery}).
 */
public final class Converger {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Zfs zfs;
    private final Clock clock;
    private final Actor actor;
    private final Consumer<String> progress;
    private final Function<AppSpec, AppRuntime> runtimes;

    public enum Outcome { NO_CHANGES, APPLIED, ROLLED_BACK }

    /**
     * @param force deploy a version even though it is ghosted (it failed its health check before)
     */
    public record Options(String scriptHash, boolean force) {
        public Options(String scriptHash) {
            this(scriptHash, false);
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
     * @param snapshot  the before-deploy snapshot's short name (the transaction id), when one was kept
     * @param error     what failed, when the outcome is ROLLED_BACK
     * @param recovered what an earlier, interrupted transaction left and this run undid first
     */
    public record Result(Outcome outcome, Plan plan, Optional<String> snapshot, List<SnapshotName> pruned,
                         Optional<String> error, Optional<Recovery.Result> recovered) { }

    /** A step failed, then the undo did not complete. The lock stays; a human runs {@code zed recover}. */
    public static final class RollbackFailedException extends RuntimeException {
        public RollbackFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Converger(Zfs zfs, Clock clock, Actor actor, Consumer<String> progress) {
        this(zfs, clock, actor, progress, a -> AppRuntime.RECORD_ONLY);
    }

    /** @param runtimes the runtime that runs each app's release (record-only apps get {@link AppRuntime#RECORD_ONLY}) */
    public Converger(Zfs zfs, Clock clock, Actor actor, Consumer<String> progress, Function<AppSpec, AppRuntime> runtimes) {
        this.zfs = zfs;
        this.clock = clock;
        this.actor = actor;
        this.progress = progress;
        this.runtimes = runtimes;
    }

    /** A plan made without the lock, and whether the pool was locked when it was read. */
    public record Preview(Plan plan, boolean locked) { }

    /** Reads the deploy's datasets and its apps on the target, and plans against them. Changes nothing. */
    public Plan plan(Deployment d) {
        return preview(d).plan();
    }

    /** As {@link #plan}, also telling whether a lock was found (one {@code zfs get} reads both). */
    public Preview preview(Deployment d) {
        PropertyTable state = StateReader.read(zfs, d);
        return new Preview(Planner.plan(d, state, observe(d, state)), StateReader.locked(state, d));
    }

    /** Each app as its target shows it, for apps whose dataset exists. */
    Map<String, AppState> observe(Deployment d, PropertyTable state) {
        var out = new LinkedHashMap<String, AppState>();
        for (AppSpec a : d.apps()) {
            DatasetName ds = d.pool().root().child(a.dataset());
            Optional<String> mp = state.value(ds.value(), "mountpoint");
            if (state.contains(ds.value()) && mp.isPresent()) {
                out.put(a.name(), runtimes.apply(a).observe(a, ds, mp.get()));
            }
        }
        return out;
    }

    public Result converge(Deployment d, Options o) {
        return converge(d, o, preview(d));
    }

    /**
     * As {@link #converge(Deployment, Options)}, given the plan the caller already made without the
     * lock (e.g. to show it first), so the pool is not read for it again when nothing is to do.
     */
    public Result converge(Deployment d, Options o, Preview unlocked) {
        if (unlocked.plan().isEmpty() && !unlocked.locked()) {
            return new Result(Outcome.NO_CHANGES, unlocked.plan(), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
        }
        Recovery.Locked locked = Recovery.lock(zfs, d, actor, clock, progress, runtimes);
        try (PoolLock lock = locked.lock()) {
            // Under the lock, read again: another converge (or the recovery) may have changed the pool.
            PropertyTable before = StateReader.read(zfs, d);
            Plan plan = Planner.plan(d, before, observe(d, before));
            if (plan.isEmpty()) {
                return new Result(Outcome.NO_CHANGES, plan, Optional.empty(), List.of(), Optional.empty(), locked.recovered());
            }
            precheck(d, plan, before, o);
            Result r = apply(lock, d, plan, before, o);
            return new Result(r.outcome(), r.plan(), r.snapshot(), r.pruned(), r.error(), locked.recovered());
        }
    }

    /** Everything that can be known to fail is checked before the first change: releases, secrets, ghosts. */
    private void precheck(Deployment d, Plan plan, PropertyTable before, Options o) {
        for (Step s : plan.steps()) {
            if (s instanceof Step.DeployApp a) {
                AppSpec app = app(d, a.app());
                String ghosts = before.value(a.dataset().value(), ZedProperties.GHOSTED.value()).orElse("");
                if (!o.force() && !a.reconfigure() && List.of(ghosts.split(",")).contains(a.toVersion())) {
                    throw new GhostedVersionException(a.app(), a.toVersion(), a.dataset());
                }
                runtimes.apply(app).check(app, a.dataset());
            }
        }
    }

    static AppSpec app(Deployment d, String name) {
        return d.app(name).orElseThrow(() -> new IllegalStateException("plan names unknown app " + name));
    }

    private Result apply(PoolLock lock, Deployment d, Plan plan, PropertyTable before, Options o) {
        String at = clock.instant().toString();
        String id = "zed-" + d.name() + "-" + STAMP.format(clock.instant());
        Map<PropertyName, String> bookkeeping = Map.of(ZedProperties.DEPLOYED_AT, at,
                ZedProperties.DEPLOYED_BY, actor.toString(), ZedProperties.SCRIPT_HASH, o.scriptHash());
        var restore = RestoreRecord.of(plan, before, bookkeeping.keySet());
        List<DatasetName> implicitParents = missingParents(plan, before);
        Txn txn = txn(d, plan, before, o, id, at, implicitParents);
        var journal = new Journal(lock, phase -> { });
        var tx = new Transaction(zfs, runtimes, d, progress);

        List<SnapshotName> snaps = new ArrayList<>();
        Optional<String> healthFailed = Optional.empty();
        try {
            // The intent is in ZFS before the first side effect: from here on, a crash is recoverable.
            journal.begin(txn);
            var services = txn.apps().stream().filter(a -> !a.recordOnly()).map(Txn.App::app).toList();
            if (!services.isEmpty()) {
                journal.phase("save files");
                runtimes.apply(app(d, services.get(0))).saveFiles(services, id);
            }
            if (!plan.existingAffected().isEmpty()) {
                plan.existingAffected().forEach(ds -> snaps.add(ds.snapshot(id)));
                journal.phase("snapshot");
                progress.accept("snapshot " + snaps.size() + " dataset(s) @" + id);
                zfs.snapshot(snaps, false, Map.of(
                        ZedProperties.SNAPSHOT, ZedProperties.BEFORE_DEPLOY, ZedProperties.DEPLOY, d.name(),
                        ZedProperties.AT, at, ZedProperties.BY, actor.toString(), ZedProperties.SCRIPT_HASH, o.scriptHash(),
                        ZedProperties.RESULT, "pending", ZedProperties.SUMMARY, plan.summary()));
                for (SnapshotName s : snaps) {
                    zfs.set(s.value(), Map.of(ZedProperties.RESTORE, RestoreRecord.json(restore.get(s.dataset()))));
                }
            }
            int i = 0;
            for (Step step : plan.steps()) {
                i++;
                journal.phase("step " + i + "/" + plan.steps().size() + ": " + describe(step));
                progress.accept(describe(step));
                execute(step, d, bookkeeping, id, journal);
            }
            journal.phase("verify");
            PropertyTable after = StateReader.read(zfs, d);
            Plan left = Planner.plan(d, after, observe(d, after));
            if (!left.isEmpty()) {
                throw new IllegalStateException("verify failed: after apply, still to do: " + left.summary());
            }
            journal.phase(Journal.COMMITTED);
        } catch (RuntimeException failure) {
            if (failure instanceof AppRuntime.HealthCheckFailedException h) {
                healthFailed = Optional.of(h.app());
            }
            progress.accept("FAILED: " + failure.getMessage() + " — rolling back");
            undo(lock, journal, tx, txn, snaps, plan, implicitParents, healthFailed, failure);
            return new Result(Outcome.ROLLED_BACK, plan, txn.keepSnapshots() && !snaps.isEmpty() ? Optional.of(id)
                    : Optional.empty(), List.of(), Optional.of(failure.getMessage()), Optional.empty());
        }
        // Committed: what follows only tidies up, and a crash here leaves the new state in place.
        for (SnapshotName s : snaps) {
            zfs.set(s.value(), Map.of(ZedProperties.RESULT, "ok"));
        }
        List<SnapshotName> pruned = tx.retention(d, id, !txn.keepSnapshots() ? snaps : List.of());
        return new Result(Outcome.APPLIED, plan, txn.keepSnapshots() && !snaps.isEmpty() ? Optional.of(id) : Optional.empty(),
                pruned, Optional.empty(), Optional.empty());
    }

    private Txn txn(Deployment d, Plan plan, PropertyTable before, Options o, String id, String at,
                    List<DatasetName> parents) {
        var apps = new ArrayList<Txn.App>();
        for (Step s : plan.steps()) {
            if (s instanceof Step.DeployApp a) {
                AppSpec spec = app(d, a.app());
                boolean created = plan.created().contains(a.dataset());
                apps.add(new Txn.App(a.app(), a.dataset().value(),
                        created ? null : before.value(a.dataset().value(), "mountpoint").orElse(null),
                        a.fromVersion().orElse(null), a.toVersion(), created,
                        runtimes.apply(spec) == AppRuntime.RECORD_ONLY));
            }
        }
        return new Txn(id, Txn.DEPLOY, d.name(), d.pool().value(), at, actor.toString(), o.scriptHash(),
                d.snapshots().beforeDeploy(), parents.stream().map(DatasetName::value).toList(), apps, null, false);
    }

    private void undo(PoolLock lock, Journal journal, Transaction tx, Txn txn, List<SnapshotName> snaps, Plan plan,
                      List<DatasetName> parents, Optional<String> healthFailed, RuntimeException failure) {
        var created = new ArrayList<DatasetName>();
        for (DatasetName n : plan.created()) {
            created.add(n);
        }
        created.addAll(parents);
        var existing = created.stream().filter(n -> zfs.exists(n.value())).toList();
        var steps = UndoPlan.plan(txn, snaps, existing, healthFailed, "rolled-back");
        Cancellation.shield();
        try {
            journal.phase(Journal.UNDOING);
        } catch (RuntimeException e) {
            // The journal cannot be written (the connection is gone?): the undo below says more.
        }
        var failures = tx.undo(steps, Optional.empty());
        if (!failures.isEmpty()) {
            String why = "apply failed (" + failure.getMessage() + ") and the rollback did not complete: "
                    + String.join("; ", failures);
            try {
                journal.needsAttention(why);
                snaps.forEach(s -> zfs.set(s.value(), Map.of(ZedProperties.RESULT, Journal.NEEDS_ATTENTION)));
            } catch (RuntimeException e) {
                lock.keep();
            }
            var rf = new RollbackFailedException(why + ". The pool stays locked: fix the cause, then run `zed recover`.", null);
            rf.addSuppressed(failure);
            throw rf;
        }
    }

    private void execute(Step step, Deployment d, Map<PropertyName, String> bookkeeping, String id, Journal journal) {
        if (step instanceof Step.CreateDataset c) {
            var props = new TreeMap<>(c.properties());
            props.putAll(bookkeeping);
            props.put(ZedProperties.CREATED_IN, id);
            zfs.create(c.dataset(), props, true);
        } else if (step instanceof Step.SetProperties s) {
            var props = new TreeMap<PropertyName, String>();
            s.changes().forEach(ch -> props.put(ch.property(), ch.to()));
            props.putAll(bookkeeping);
            zfs.set(s.dataset().value(), props);
        } else if (step instanceof Step.DeployApp a) {
            AppSpec app = app(d, a.app());
            runtimes.apply(app).deploy(app, a.dataset(), mountpoint(a.dataset()), a.fromVersion(), journal);
            journal.phase("record " + a.app());
            var props = new TreeMap<PropertyName, String>(bookkeeping);
            props.put(ZedProperties.APP, a.app());
            props.put(ZedProperties.VERSION, a.toVersion());
            props.put(ZedProperties.APP_CONFIG, AppConfig.of(app));
            zfs.set(a.dataset().value(), props);
        }
    }

    private String mountpoint(DatasetName ds) {
        return zfs.properties(ds.value(), List.of(PropertyName.of("mountpoint"))).value(ds.value(), "mountpoint")
                .orElseThrow(() -> new IllegalStateException(ds + " has no mountpoint"));
    }

    /** Ancestors of created datasets that do not exist yet: {@code create -p} makes them, an undo removes them. */
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

    static String describe(Step s) {
        if (s instanceof Step.CreateDataset c) {
            return "create " + c.dataset();
        }
        if (s instanceof Step.SetProperties p) {
            return "set " + p.changes().stream().map(c -> c.property().value()).toList() + " on " + p.dataset();
        }
        Step.DeployApp a = (Step.DeployApp) s;
        return "deploy " + a.app() + " " + a.toVersion() + (a.reconfigure() ? " (again: " + String.join("; ", a.reasons()) + ")" : "")
                + " on " + a.dataset();
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

    /** A snapshot Zed took before a deploy of {@code deploy} (marked by a property, not by its name). */
    static boolean isBeforeDeploy(com.zed.zfs.SnapshotInfo s, String deploy) {
        return s.user(ZedProperties.SNAPSHOT).filter(ZedProperties.BEFORE_DEPLOY::equals).isPresent()
                && s.user(ZedProperties.DEPLOY).filter(deploy::equals).isPresent();
    }
}
