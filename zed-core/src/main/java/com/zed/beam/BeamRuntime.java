package com.zed.beam;

import com.zed.converge.AppRuntime;
import com.zed.converge.Cancellation;
import com.zed.converge.AppState;
import com.zed.converge.Journal;
import com.zed.exec.CommandResult;
import com.zed.exec.CommandRunner;
import com.zed.model.AppSpec;
import com.zed.model.EnvValue;
import com.zed.platform.LinuxSystemd;
import com.zed.platform.Platform;
import com.zed.platform.SavedFiles;
import com.zed.platform.ServiceSpec;
import com.zed.secret.Secrets;
import com.zed.zfs.DatasetName;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs BEAM releases for converge: each version unpacked into the app's dataset under
 * {@code releases/<version>/}, {@code current} switched atomically, the service (re)started, and
 * its health awaited. Everything it writes lives in the dataset, so the before-deploy snapshot
 * covers it and a rollback restores the previous release's files and symlink.
 */
public final class BeamRuntime implements AppRuntime {
    private final CommandRunner runner;
    private final Platform platform;
    private final ReleaseStore store;
    private final Settings settings;
    private final Consumer<String> progress;
    private final SavedFiles saved;

    /**
     * @param epmdPort       the nodes' epmd port on the target (4369); checks reach it through the runner's connector
     * @param healthDeadline how long a new release may take to become healthy (stability window included)
     * @param environment    where secrets ({@code env(...)}) are read from: Zed's own environment
     * @param watch          overrides every app's post-deploy watch ({@code zed run --watch}); zero turns it off
     */
    public record Settings(int epmdPort, Duration healthDeadline, Map<String, String> environment,
                           Optional<Duration> watch) {
        public Settings {
            environment = Map.copyOf(environment);
        }

        public Settings(Duration healthDeadline, Map<String, String> environment) {
            this(BeamTarget.DEFAULT_EPMD_PORT, healthDeadline, environment, Optional.empty());
        }
    }

    public BeamRuntime(CommandRunner runner, Platform platform, ReleaseStore store, Settings settings,
                       Consumer<String> progress) {
        this.runner = runner;
        this.platform = platform;
        this.store = store;
        this.settings = settings;
        this.progress = progress;
        this.saved = new SavedFiles(runner);
    }

    /** The app's service as the platform names it ({@code zed-<app>}, scoped where the platform scopes it). */
    String service(AppSpec app) {
        return platform.serviceName(app.name());
    }

    /** The unscoped name, {@code zed-<app>}. */
    public static String serviceOf(AppSpec app) {
        return ServiceUnits.service(app.name());
    }

    @Override
    public void check(AppSpec app, DatasetName dataset) {
        store.locate(app.name(), app.version());
        environment(app); // every secret must resolve before anything changes
        installedUnit(service(app)).ifPresent(unit -> ownedBy(app, dataset, unit));
    }

    /** The service's unit file as it is on the target, if there is one. */
    private Optional<String> installedUnit(String service) {
        return platform.read(platform.files(service).get(0));
    }

    /** The installed unit was generated for this dataset, or for none Zed can tell (then it is ordinary drift). */
    private void ownedBy(AppSpec app, DatasetName dataset, String installedUnit) {
        ServiceUnits.owner(installedUnit, app.name()).filter(o -> !o.equals(dataset.value())).ifPresent(o -> {
            throw new UnitConflictException(app.name(), service(app), o, dataset);
        });
    }

    @Override
    public AppState observe(AppSpec app, DatasetName dataset, String mountpoint) {
        String service = service(app);
        Optional<String> installed = installedUnit(service);
        installed.ifPresent(u -> ownedBy(app, dataset, u));
        CommandResult link = runner.run(List.of("readlink", mountpoint + "/current"));
        Optional<String> linked = link.ok() ? releaseOf(link.stdout().strip()) : Optional.empty();
        var status = platform.status(service);
        Optional<String> running = platform.workingDirectory(service).flatMap(BeamRuntime::releaseOf);
        var drift = new ArrayList<String>();
        var have = platform.readEnvironment(service);
        if (have.isEmpty()) {
            drift.add("environment file is missing");
        } else {
            drift.addAll(environmentDrift(app, have.get()));
        }
        Optional<String> want = cookie(app);
        if (want.isPresent()) {
            Optional<String> have2 = platform.read(LinuxSystemd.cookieFile(service));
            if (have2.isEmpty()) {
                drift.add("cookie (secret) missing");
            } else if (!have2.get().equals(want.get())) {
                drift.add("cookie (secret changed)");
            }
        }
        String unit = platform.render(serviceSpec(app, dataset, mountpoint));
        if (installed.isEmpty()) {
            drift.add("unit " + service + " is missing");
        } else if (!installed.get().equals(unit)) {
            drift.add("unit " + service + " differs from the generated one: " + lineDiff(installed.get(), unit));
        }
        return new AppState(true, linked, running, status.state(), drift);
    }

    /** The lines only one side has ({@code - installed}, {@code + generated}), a few of them: units hold no secrets. */
    static String lineDiff(String installed, String generated) {
        var had = List.of(installed.split("\n"));
        var want = List.of(generated.split("\n"));
        var out = new ArrayList<String>();
        had.stream().filter(l -> !want.contains(l)).forEach(l -> out.add("- " + l));
        want.stream().filter(l -> !had.contains(l)).forEach(l -> out.add("+ " + l));
        String d = String.join("; ", out.subList(0, Math.min(out.size(), 6)));
        return out.size() > 6 ? d + "; …" : d;
    }

    /** {@code releases/1.0.1} or {@code /jeff/apps/x/releases/1.0.1} → {@code 1.0.1}. */
    static Optional<String> releaseOf(String path) {
        int i = path.lastIndexOf("releases/");
        if (i < 0 || (i > 0 && path.charAt(i - 1) != '/')) {
            return Optional.empty();
        }
        String v = path.substring(i + "releases/".length());
        int slash = v.indexOf('/');
        return Optional.of(slash < 0 ? v : v.substring(0, slash)).filter(x -> !x.isEmpty());
    }

    /**
     * Readable differences between the environment on the target and the declared one. Values are
     * shown only for literal variables; a secret (the cookie, {@code env(...)}/{@code file(...)} values)
     * and a variable nobody declared appear by name only.
     */
    List<String> environmentDrift(AppSpec app, Map<String, String> have) {
        Map<String, String> want = environment(app);
        var secret = new java.util.HashSet<String>();
        app.environment().forEach((k, v) -> {
            if (v instanceof EnvValue.Secret) {
                secret.add(k);
            }
        });
        var out = new ArrayList<String>();
        for (var e : new java.util.TreeMap<>(want).entrySet()) {
            String k = e.getKey();
            String now = have.get(k);
            if (now == null) {
                out.add("environment " + k + (secret.contains(k) ? " (secret) added" : " = " + e.getValue()));
            } else if (!now.equals(e.getValue())) {
                out.add("environment " + k + (secret.contains(k) ? " (secret changed)" : " " + now + " → " + e.getValue()));
            }
        }
        new java.util.TreeSet<>(have.keySet()).stream().filter(k -> !want.containsKey(k))
                .forEach(k -> out.add("environment " + k + " is set on the target but not declared"));
        return out;
    }

    @Override
    public void deploy(AppSpec app, DatasetName dataset, String mountpoint, Optional<String> fromVersion, Journal journal) {
        Release release = store.locate(app.name(), app.version());
        String dir = mountpoint + "/releases/" + app.version();
        String service = service(app);
        journal.phase("unpack " + app.name());
        progress.accept("unpack " + release.fileName() + " (" + release.size() + " bytes) into " + dir);
        // Every entry is checked before a byte is sent; the target gets a root-owned, sanitized copy.
        ReleaseUnpacker.unpack(runner, release, dir);

        journal.phase("environment " + app.name());
        ensureUser(app, mountpoint);
        ServiceSpec unit = serviceSpec(app, dataset, mountpoint);
        platform.writeEnvironment(service, environment(app));
        cookie(app).ifPresent(c -> platform.writeCookie(service, c));
        journal.phase("pre-commands " + app.name());
        for (List<String> pre : app.preCommands()) {
            var argv = new ArrayList<String>();
            argv.add(dir + "/bin/" + app.name());
            argv.addAll(pre);
            progress.accept("pre-command: bin/" + app.name() + " " + String.join(" ", pre));
            // Ctrl-C (SIGINT/SIGTERM) stops the running pre-command unit, not only the wait for it.
            Platform.CommandOutcome out = Cancellation.whileRunning(() -> platform.stopCommand(service),
                    () -> platform.runCommand(unit, argv));
            if (out.exitCode() != 0) {
                throw new IllegalStateException("pre-command 'bin/" + app.name() + " " + String.join(" ", pre)
                        + "' " + (out.timedOut() ? "timed out after " + app.preCommandTimeout().toSeconds() + " s"
                        : "failed (exit " + out.exitCode() + ")") + "; nothing was switched: " + firstLine(out.output()));
            }
        }
        Cancellation.check();

        journal.phase("unit " + app.name());
        platform.install(unit);
        journal.phase("stop " + app.name());
        progress.accept("stop " + service + fromVersion.map(v -> " (" + v + ")").orElse(""));
        platform.stop(service);
        journal.phase("switch " + app.name());
        switchCurrent(mountpoint, app.version());
        journal.phase("start " + app.name());
        progress.accept("start " + service + " " + app.version());
        platform.start(service);
        journal.phase("health " + app.name());
        awaitHealthy(app, app.version(), journal);
    }

    @Override
    public void saveFiles(List<String> apps, String id) {
        var files = new ArrayList<String>();
        apps.forEach(a -> files.addAll(platform.files(platform.serviceName(a))));
        saved.save(id, files);
    }

    @Override
    public void restoreFiles(String app, String id) {
        String service = platform.serviceName(app);
        // Files kept under the id are the ones that ran with that state; a service that did not exist then goes.
        boolean restored = saved.restore(id, platform.files(service), () -> {
            platform.stop(service);
            platform.disable(service);
        });
        if (restored) {
            platform.reload();
        } else {
            progress.accept("no files were kept for " + id + ": the environment and unit of " + app + " stay as they are");
        }
    }

    @Override
    public void dropSaved(String id) {
        saved.drop(id);
    }

    @Override
    public void stop(String app) {
        platform.stop(platform.serviceName(app));
    }

    @Override
    public void start(String app, String mountpoint, Optional<AppSpec> spec, String version) {
        String service = platform.serviceName(app);
        spec.ifPresent(a -> ensureUser(a, mountpoint));
        progress.accept("start " + service + " " + version);
        platform.start(service);
        if (spec.isPresent()) {
            awaitHealthy(spec.get(), version, null);
        }
    }

    /** What runs now: the service manager's view, and one round of the app's health checks. */
    public record AppStatus(String app, String service, String state, java.util.Optional<java.time.Instant> since,
                            int restarts, boolean healthy, String health) { }

    public AppStatus status(AppSpec app) {
        var s = platform.status(service(app));
        String health;
        boolean ok;
        try {
            var checks = HealthChecks.forApp(app, runner.connector(), settings.epmdPort(), settings.environment());
            var results = checks.stream().map(c -> c.check(Duration.ofSeconds(3))).toList();
            ok = results.stream().allMatch(HealthResult::healthy) && s.active();
            health = checks.isEmpty() ? "no checks declared (service " + s.state() + ")"
                    : results.stream().map(HealthResult::toString).collect(java.util.stream.Collectors.joining("; "));
        } catch (RuntimeException e) {
            ok = false;
            health = "cannot check: " + e.getMessage();
        }
        return new AppStatus(app.name(), service(app), s.state(), s.since(), s.restarts(), ok, health);
    }

    /**
     * The app's checks, run from the target's side (through the SSH session for a remote target),
     * plus the service itself ({@code service}: while waiting, active with no restart since the round
     * before; during a watch, since the watch began). A release with no checks is judged by that alone.
     */
    private List<HealthCheck> checks(AppSpec app, ServiceStableCheck service) {
        var checks = new ArrayList<HealthCheck>(
                HealthChecks.forApp(app, runner.connector(), settings.epmdPort(), settings.environment()));
        checks.add(service);
        return checks;
    }

    /**
     * Healthy means every check passes, continuously, for the app's stability window ({@code stableFor})
     * after the first success; then, when a watch is declared (or {@code --watch}), keeps watching for that
     * long: a release that starts failing meanwhile is rolled back and ghosted like one that never came up.
     */
    private void awaitHealthy(AppSpec app, String version, Journal journal) {
        String service = service(app);
        var checks = checks(app, new ServiceStableCheck(service, () -> platform.status(service), Duration.ofSeconds(5)));
        try {
            HealthReport r = new HealthWaiter(WaitPolicy.within(settings.healthDeadline()).stableFor(app.stableFor()),
                    round -> Cancellation.check()).await(checks);
            if (!r.healthy()) {
                throw new HealthCheckFailedException(app.name(), version, r.summary());
            }
            progress.accept(app.name() + " " + version + " healthy after " + r.elapsed().toMillis() + " ms (stable for "
                    + app.stableFor().toSeconds() + " s)");
            Optional<Duration> watch = settings.watch().or(app::watch).filter(d -> !d.isZero());
            if (watch.isPresent() && journal != null) {
                journal.phase("watch " + app.name());
                progress.accept("watching " + app.name() + " " + version + " for " + watch.get().toSeconds() + " s");
                // During the watch a restart is a failure for good: the service is compared with its state now.
                var watched = checks(app, ServiceStableCheck.since(service, () -> platform.status(service),
                        Duration.ofSeconds(5), platform.status(service)));
                WatchReport w = new HealthWatch(WatchPolicy.of(watch.get()).every(Duration.ofSeconds(5)).failuresInARow(2),
                        round -> Cancellation.check()).watch(watched);
                if (!w.held()) {
                    throw new HealthCheckFailedException(app.name(), version, "during the watch: " + w.summary());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HealthCheckFailedException(app.name(), version, "interrupted");
        }
    }

    /**
     * What the release process finds in its environment file: node, distribution and the app's own
     * variables. The cookie is not there: it is handed over as a credential ({@link #cookie}).
     */
    Map<String, String> environment(AppSpec app) {
        var env = new LinkedHashMap<String, String>();
        app.nodeName().ifPresent(n -> {
            env.put("RELEASE_NODE", n);
            String host = n.substring(n.indexOf('@') + 1);
            env.put("RELEASE_DISTRIBUTION", host.contains(".") || host.contains(":") ? "name" : "sname");
        });
        app.environment().forEach((k, v) -> env.put(k, v instanceof EnvValue.Secret s
                ? Secrets.resolve(s.ref(), settings.environment()).reveal() : ((EnvValue.Literal) v).value()));
        return env;
    }

    /** The app's cookie, resolved (a secret: never logged). */
    Optional<String> cookie(AppSpec app) {
        return app.cookie().map(c -> Secrets.resolve(c, settings.environment()).reveal());
    }

    /** The app's confined unit: its own user, the state directory in its dataset the only writable path. */
    ServiceSpec serviceSpec(AppSpec app, DatasetName dataset, String mountpoint) {
        return ServiceUnits.forApp(service(app), app.name(), dataset.value(), mountpoint, ServiceUnits.user(app.name()),
                ServiceUnits.stateDirectory(mountpoint), app.distPort(), app.cookie().isPresent(), app.bindsLowPorts(),
                app.preCommandTimeout());
    }

    /** The app's user and state directory exist (again: a rollback may have restored a dataset without it). */
    private void ensureUser(AppSpec app, String mountpoint) {
        String user = ServiceUnits.user(app.name());
        platform.ensureUser(user, ServiceUnits.stateDirectory(mountpoint));
        platform.ensureStateDirectory(user, ServiceUnits.stateDirectory(mountpoint));
    }

    /** {@code current} → {@code releases/<v>}: a new link renamed over the old one (atomic on POSIX). */
    private void switchCurrent(String mountpoint, String version) {
        String tmp = mountpoint + "/current.zed-new";
        check(runner.run(List.of("ln", "-sfn", "releases/" + version, tmp)), "ln -sfn " + tmp);
        check(runner.run(List.of("mv", "-T", tmp, mountpoint + "/current")), "mv -T " + tmp);
        progress.accept("current → releases/" + version);
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("").strip();
    }

    private static void check(CommandResult r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException(what + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
        }
    }
}
