package com.zed.beam;

import com.zed.converge.AppRuntime;
import com.zed.exec.CommandResult;
import com.zed.exec.CommandRunner;
import com.zed.model.AppSpec;
import com.zed.model.EnvValue;
import com.zed.platform.Platform;
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

    /**
     * @param epmdHost       where the host running Zed reaches the nodes' epmd
     * @param epmdPort       that epmd's port (4369, or a forwarded one for the lab)
     * @param healthDeadline how long a new release may take to become healthy
     * @param environment    where secrets ({@code env(...)}) are read from: Zed's own environment
     */
    public record Settings(String epmdHost, int epmdPort, Duration healthDeadline, Map<String, String> environment) {
        public Settings {
            environment = Map.copyOf(environment);
        }
    }

    public BeamRuntime(CommandRunner runner, Platform platform, ReleaseStore store, Settings settings,
                       Consumer<String> progress) {
        this.runner = runner;
        this.platform = platform;
        this.store = store;
        this.settings = settings;
        this.progress = progress;
    }

    static String service(AppSpec app) {
        return "zed-" + app.name();
    }

    @Override
    public void check(AppSpec app) {
        store.locate(app.name(), app.version());
        environment(app); // every secret must resolve before anything changes
    }

    @Override
    public void deploy(AppSpec app, DatasetName dataset, String mountpoint, Optional<String> fromVersion) {
        Release release = store.locate(app.name(), app.version());
        String dir = mountpoint + "/releases/" + app.version();
        progress.accept("unpack " + release.fileName() + " (" + release.size() + " bytes) into " + dir);
        check(runner.run(List.of("mkdir", "-p", dir)), "mkdir " + dir);
        unpack(release, dir);

        String service = service(app);
        platform.saveEnvironment(service);
        platform.writeEnvironment(service, environment(app));
        for (List<String> pre : app.preCommands()) {
            var argv = new ArrayList<String>();
            argv.add(dir + "/bin/" + app.name());
            argv.addAll(pre);
            progress.accept("pre-command: bin/" + app.name() + " " + String.join(" ", pre));
            Platform.CommandOutcome out = platform.runWithEnvironment(service, dir, argv);
            if (out.exitCode() != 0) {
                throw new IllegalStateException("pre-command 'bin/" + app.name() + " " + String.join(" ", pre)
                        + "' failed (exit " + out.exitCode() + "); nothing was switched: " + firstLine(out.output()));
            }
        }

        platform.install(serviceSpec(app, mountpoint));
        progress.accept("stop " + service + fromVersion.map(v -> " (" + v + ")").orElse(""));
        platform.stop(service);
        switchCurrent(mountpoint, app.version());
        progress.accept("start " + service + " " + app.version());
        platform.start(service);
        awaitHealthy(app, app.version());
    }

    @Override
    public void stop(AppSpec app) {
        platform.stop(service(app));
    }

    @Override
    public void restore(AppSpec app, String mountpoint, Optional<String> fromVersion) {
        // The environment file is outside the dataset: put the previous one back too.
        platform.restoreEnvironment(service(app));
        if (fromVersion.isEmpty()) {
            return; // nothing ran before this deploy
        }
        progress.accept("restart " + service(app) + " " + fromVersion.get());
        platform.start(service(app));
        awaitHealthy(app, fromVersion.get());
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
            ok = results.stream().allMatch(HealthResult::healthy);
            health = checks.isEmpty() ? "no checks declared"
                    : results.stream().map(HealthResult::toString).collect(java.util.stream.Collectors.joining("; "));
        } catch (RuntimeException e) {
            ok = false;
            health = "cannot check: " + e.getMessage();
        }
        return new AppStatus(app.name(), service(app), s.state(), s.since(), s.restarts(), ok, health);
    }

    private void awaitHealthy(AppSpec app, String version) {
        var checks = HealthChecks.forApp(app, runner.connector(), settings.epmdPort(), settings.environment());
        if (checks.isEmpty()) {
            var s = platform.status(service(app));
            if (!s.active()) {
                throw new HealthCheckFailedException(app.name(), version, "service is " + s.state());
            }
            return;
        }
        try {
            HealthReport r = new HealthWaiter(WaitPolicy.within(settings.healthDeadline())).await(checks);
            if (!r.healthy()) {
                throw new HealthCheckFailedException(app.name(), version, r.summary());
            }
            progress.accept(app.name() + " " + version + " healthy after " + r.elapsed().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HealthCheckFailedException(app.name(), version, "interrupted");
        }
    }

    /** What the release process is handed: node, distribution, cookie, and the app's own variables. */
    Map<String, String> environment(AppSpec app) {
        var env = new LinkedHashMap<String, String>();
        app.nodeName().ifPresent(n -> {
            env.put("RELEASE_NODE", n);
            String host = n.substring(n.indexOf('@') + 1);
            env.put("RELEASE_DISTRIBUTION", host.contains(".") || host.contains(":") ? "name" : "sname");
        });
        app.cookie().ifPresent(c -> env.put("RELEASE_COOKIE", Secrets.resolve(c, settings.environment()).reveal()));
        app.environment().forEach((k, v) -> env.put(k, v instanceof EnvValue.Secret s
                ? Secrets.resolve(s.ref(), settings.environment()).reveal() : ((EnvValue.Literal) v).value()));
        return env;
    }

    static ServiceSpec serviceSpec(AppSpec app, String mountpoint) {
        var start = new ArrayList<String>();
        // The fixed distribution port applies to the node only: ERL_AFLAGS on the start command, not
        // in the shared environment, where `bin/app rpc/stop` helper nodes would fight for the port.
        app.distPort().ifPresent(p -> {
            start.add("/usr/bin/env");
            start.add("ERL_AFLAGS=-kernel inet_dist_listen_min " + p + " inet_dist_listen_max " + p);
        });
        start.add(mountpoint + "/current/bin/" + app.name());
        start.add("start");
        // No ExecStop: SIGTERM makes the BEAM shut down gracefully (init:stop).
        return new ServiceSpec(service(app), "Zed app " + app.name(), mountpoint + "/current", start, List.of());
    }

    /** Streams the tarball into {@code tar -xzf - -C dir} on the target: no temp file, no shell. */
    private void unpack(Release release, String dir) {
        try (InputStream in = Files.newInputStream(release.path())) {
            check(runner.run(List.of("tar", "-xzf", "-", "-C", dir), in), "unpacking " + release.fileName() + " into " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + release.path() + " failed", e);
        }
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
