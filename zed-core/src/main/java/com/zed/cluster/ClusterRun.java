package com.zed.cluster;

import com.zed.cluster.HostReport.Outcome;
import com.zed.converge.Cancellation;
import com.zed.converge.Converger;
import com.zed.converge.Plan;
import com.zed.model.ClusterSpec.Fallback;
import com.zed.model.ClusterSpec.Strategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The cluster coordinator: plans every host, then converges them in declared order, {@code parallel}
 * at a time (rolling batches: a batch starts when the previous one has finished), and on the first
 * failure applies the strategy and fallback ({@link Policy}). Each host's converge is that host's own
 * transaction, so a host is only ever on its old or its new state; a crash of the coordinator leaves
 * at most the in-flight hosts journaled, and the next run recovers them host by host.
 */
public final class ClusterRun {

    /** What to run: the hosts (in order), the strategy, the fallback and how many at once. */
    public record Settings(Strategy strategy, Fallback fallback, int parallel) {
        public Settings {
            if (parallel < 1) {
                throw new IllegalArgumentException("parallel must be at least 1");
            }
        }
    }

    /** The combined plan: each host's plan, or why it could not be planned. */
    public record Plans(Map<String, Plan> plans, Map<String, String> unreachable) {
        public boolean isEmpty() {
            return unreachable.isEmpty() && plans.values().stream().allMatch(Plan::isEmpty);
        }
    }

    /** The outcome of every host, in declared order, and the failure that set the fallback off (if any). */
    public record Report(List<HostReport> hosts, Optional<String> firstFailure, Settings settings) {
        /** Every host ended updated or unchanged. */
        public boolean ok() {
            return hosts.stream().allMatch(h -> h.outcome().ok());
        }

        /** Every host is on a known version (old or new). */
        public boolean known() {
            return hosts.stream().allMatch(h -> h.outcome().known());
        }
    }

    private final List<ClusterHost> hosts;
    private final Settings settings;
    private final Consumer<String> events;

    public ClusterRun(List<ClusterHost> hosts, Settings settings, Consumer<String> events) {
        this.hosts = List.copyOf(hosts);
        this.settings = settings;
        this.events = events;
    }

    /** Plans every host, a few at a time; a host that cannot be reached is reported, not thrown. */
    public Plans plan() {
        var plans = new LinkedHashMap<String, Plan>();
        var unreachable = new LinkedHashMap<String, String>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(hosts.size(), 8)), daemon("zed-plan"));
        try {
            var futures = new ArrayList<Future<Plan>>();
            for (ClusterHost h : hosts) {
                futures.add(pool.submit(h::plan));
            }
            for (int i = 0; i < hosts.size(); i++) {
                String name = hosts.get(i).name();
                try {
                    plans.put(name, futures.get(i).get());
                } catch (ExecutionException e) {
                    unreachable.put(name, message(e.getCause()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while planning", e);
        } finally {
            pool.shutdownNow();
        }
        return new Plans(plans, unreachable);
    }

    /** Converges the hosts after {@link #plan()}; a host that could not be planned counts as failed before any other starts. */
    public Report apply(Plans plans) {
        java.time.Instant started = java.time.Instant.now();
        var reports = new LinkedHashMap<String, HostReport>();
        Policy reaction = null;
        String first = null;
        // A host that could not even be planned fails first: the fallback decides whether the others start.
        for (ClusterHost h : hosts) {
            if (plans.unreachable().containsKey(h.name())) {
                reports.put(h.name(), new HostReport(h.name(), Outcome.LOST, Optional.empty(),
                        Optional.of(plans.unreachable().get(h.name())), 0));
                if (reaction == null) {
                    first = h.name();
                    reaction = Policy.onFailure(settings.strategy(), settings.fallback());
                    reacted(h.name(), plans.unreachable().get(h.name()), reaction);
                }
            }
        }
        var pending = hosts.stream().filter(h -> !reports.containsKey(h.name())).toList();
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallel(), daemon("zed-host"));
        try {
            for (int at = 0; at < pending.size(); at += settings.parallel()) {
                if (reaction != null && !reaction.startMore()) {
                    break;
                }
                var batch = pending.subList(at, Math.min(pending.size(), at + settings.parallel()));
                var scopes = new LinkedHashMap<String, Cancellation.Scope>();
                var stopped = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
                var done = new ExecutorCompletionService<HostReport>(pool);
                for (ClusterHost h : batch) {
                    Cancellation.Scope scope = Cancellation.scope();
                    scopes.put(h.name(), scope);
                    events.accept("[" + h.name() + "] converging");
                    done.submit(() -> scope.run(() -> converge(h, stopped)));
                }
                for (int n = 0; n < batch.size(); n++) {
                    HostReport r = done.take().get();
                    reports.put(r.host(), r);
                    scopes.remove(r.host());
                    events.accept("[" + r.host() + "] " + r.outcome().word() + r.error().map(e -> ": " + e).orElse(""));
                    if (!r.outcome().ok() && reaction == null) {
                        first = r.host();
                        reaction = Policy.onFailure(settings.strategy(), settings.fallback());
                        if (reaction.cancelInFlight()) {
                            String why = "cluster: host " + first + " failed";
                            scopes.forEach((name, s) -> {
                                stopped.add(name);
                                s.request(why);
                            });
                        }
                        reacted(r.host(), r.error().orElse(r.outcome().word()), reaction);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the cluster run", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cluster coordinator: " + message(e.getCause()), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        // A host lost mid-run may have committed before its report was lost, or be half-way: reach it
        // again now, so it ends on a known state in this run where it can (else its next run recovers it).
        boolean rollbackAll = reaction != null && reaction.rollbackFinished();
        for (ClusterHost h : hosts) {
            HostReport r = reports.get(h.name());
            if (r != null && r.outcome() == Outcome.LOST && !plans.unreachable().containsKey(h.name())) {
                reports.put(h.name(), reconcile(h, r, started, rollbackAll));
            }
        }
        if (reaction != null && reaction.rollbackFinished()) {
            for (ClusterHost h : hosts) {
                HostReport r = reports.get(h.name());
                if (r != null && r.outcome() == Outcome.UPDATED && r.snapshot().isPresent()) {
                    reports.put(h.name(), rollback(h, r));
                }
            }
        }
        var out = new ArrayList<HostReport>();
        for (ClusterHost h : hosts) {
            out.add(reports.getOrDefault(h.name(),
                    new HostReport(h.name(), Outcome.SKIPPED, Optional.empty(), Optional.empty(), 0)));
        }
        return new Report(out, Optional.ofNullable(first), settings);
    }

    /** Told once the reaction has been set in motion (the hosts in flight already asked to stop). */
    private void reacted(String host, String why, Policy p) {
        events.accept("host " + host + " failed (" + why + "): " + settings.strategy().word() + " / "
                + settings.fallback().word() + ": " + describe(p));
    }

    private static String describe(Policy p) {
        if (p.rollbackFinished()) {
            return "stopping the hosts in flight and rolling back every host this run updated";
        }
        if (p.cancelInFlight()) {
            return "stopping the hosts in flight; no further host starts";
        }
        return p.startMore() ? "carrying on with the other hosts" : "no further host starts";
    }

    private HostReport converge(ClusterHost h, java.util.Set<String> stopped) {
        long t0 = System.nanoTime();
        try {
            Converger.Result r = h.converge();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return switch (r.outcome()) {
                case APPLIED -> new HostReport(h.name(), Outcome.UPDATED, r.snapshot(), Optional.empty(), ms);
                case NO_CHANGES -> new HostReport(h.name(), Outcome.UNCHANGED, Optional.empty(), Optional.empty(), ms);
                case ROLLED_BACK -> new HostReport(h.name(), stopped.contains(h.name()) ? Outcome.CANCELLED : Outcome.FAILED,
                        r.snapshot(), r.error(), ms);
            };
        } catch (ClusterHost.HostLostException e) {
            return new HostReport(h.name(), Outcome.LOST, Optional.empty(), Optional.of(message(e)),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (Converger.RollbackFailedException e) {
            // The transaction could not undo itself: its journal stays, and the host's next run recovers it.
            return new HostReport(h.name(), Outcome.LOST, Optional.empty(), Optional.of(message(e)),
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            // Refused before changing anything (a ghosted version, a unit another deploy owns, ...).
            return new HostReport(h.name(), Outcome.FAILED, Optional.empty(), Optional.of(message(e)),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private HostReport reconcile(ClusterHost h, HostReport r, java.time.Instant since, boolean rollback) {
        events.accept("[" + h.name() + "] reaching it again to settle it");
        try {
            Outcome o = h.reconcile(since, rollback);
            events.accept("[" + h.name() + "] settled: " + o.word());
            return r.with(o, r.error());
        } catch (RuntimeException e) {
            events.accept("[" + h.name() + "] still unreachable: " + message(e) + "; its next run recovers it");
            return r;
        }
    }

    private HostReport rollback(ClusterHost h, HostReport r) {
        events.accept("[" + h.name() + "] rolling back to @" + r.snapshot().get());
        try {
            h.rollback(r.snapshot().get());
            events.accept("[" + h.name() + "] rolled back");
            return r.with(Outcome.ROLLED_BACK, Optional.empty());
        } catch (RuntimeException e) {
            events.accept("[" + h.name() + "] rollback failed: " + message(e));
            return r.with(Outcome.ROLLBACK_FAILED, Optional.of(message(e)));
        }
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
