package com.zed.model;

import com.zed.zfs.InvalidNameException;
import com.zed.zfs.PropertyValues;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a whole {@link Deployment} after the script ran: names, values, cross-references
 * (an app's dataset must be declared) and duplicates. It is the authority — compile-time checks
 * catch what they can earlier, this catches everything, each problem with its script position.
 */
public final class Validator {
    /** Deploy, app, jail and zone names end up in snapshot names and paths: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_-]+@[A-Za-z0-9_.-]+");
    private static final Pattern SSH = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9._:-]+?(:\\d{1,5})?");
    public static final List<String> STRATEGIES = List.of("rolling", "all-at-once", "canary");

    private Validator() {
    }

    public static List<Problem> validate(Deployment d) {
        var out = new ArrayList<Problem>();
        name(out, d.pos(), "deploy", d.name());

        var datasets = new HashMap<String, DatasetSpec>();
        for (DatasetSpec ds : d.datasets()) {
            try {
                ds.in(d.pool());
            } catch (InvalidNameException e) {
                out.add(new Problem(ds.pos(), "dataset", e.getMessage().replace("invalid dataset name '" + d.pool() + "/", "invalid dataset name '")));
                continue;
            }
            DatasetSpec first = datasets.putIfAbsent(ds.path(), ds);
            if (first != null) {
                out.add(new Problem(ds.pos(), "dataset", "dataset '" + ds.path() + "' is declared twice (first at line "
                        + first.pos().line() + ")"));
            }
            ds.properties().forEach((k, v) -> {
                String p = PropertyValues.problem(k, v);
                if (p != null) {
                    out.add(new Problem(ds.pos(), k.value(), p));
                }
            });
        }

        var apps = new HashMap<String, AppSpec>();
        var appByDataset = new HashMap<String, AppSpec>();
        for (AppSpec a : d.apps()) {
            name(out, a.pos(), "app", a.name());
            AppSpec first = apps.putIfAbsent(a.name(), a);
            if (first != null) {
                out.add(new Problem(a.pos(), "app", "app '" + a.name() + "' is declared twice (first at line "
                        + first.pos().line() + ")"));
            }
            if (a.dataset() == null || a.dataset().isEmpty()) {
                out.add(new Problem(a.pos(), "dataset", "app '" + a.name() + "' needs a dataset"));
            } else if (!datasets.containsKey(a.dataset())) {
                out.add(new Problem(a.datasetPos(), "dataset", "app '" + a.name() + "' uses dataset '" + a.dataset()
                        + "', which is not declared" + suggest(a.dataset(), datasets.keySet())));
            } else {
                AppSpec other = appByDataset.putIfAbsent(a.dataset(), a);
                if (other != null && other != a) {
                    out.add(new Problem(a.datasetPos(), "dataset", "dataset '" + a.dataset() + "' already holds app '"
                            + other.name() + "'"));
                }
            }
            if (a.version() == null || a.version().isEmpty()) {
                out.add(new Problem(a.pos(), "version", "app '" + a.name() + "' needs a version"));
            } else if (!VERSION.matcher(a.version()).matches()) {
                out.add(new Problem(a.pos(), "version", "'" + a.version()
                        + "' is not a version (letters, digits, . _ + - ; starting with a letter or digit)"));
            }
            a.nodeName().filter(n -> !NODE.matcher(n).matches()).ifPresent(n ->
                    out.add(new Problem(a.pos(), "nodeName", "'" + n + "' is not a node name (name@host)")));
            for (HealthCheckSpec h : a.health()) {
                if (h.timeoutMillis() <= 0) {
                    out.add(new Problem(a.pos(), "health", "timeout must be positive, not " + h.timeoutMillis()));
                }
                boolean dist = h instanceof HealthCheckSpec.BeamPing || h instanceof HealthCheckSpec.Rpc;
                String kind = h instanceof HealthCheckSpec.BeamPing ? "beamPing" : "rpc";
                if (dist && a.nodeName().isEmpty()) {
                    out.add(new Problem(a.pos(), "health", kind + " needs the app's nodeName"));
                } else if (dist && a.cookie().isEmpty()) {
                    out.add(new Problem(a.pos(), "health", kind + " needs the app's cookie (cookie env('NAME') or file('/path'))"));
                }
                if (h instanceof HealthCheckSpec.Http http) {
                    try {
                        URI u = URI.create(http.url());
                        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                            out.add(new Problem(a.pos(), "health", "http url must start with http:// or https://: " + http.url()));
                        }
                    } catch (IllegalArgumentException e) {
                        out.add(new Problem(a.pos(), "health", "not a URL: " + http.url()));
                    }
                    if (http.status() < 100 || http.status() > 599) {
                        out.add(new Problem(a.pos(), "health", "HTTP status " + http.status() + " is not 100..599"));
                    }
                }
                if (h instanceof HealthCheckSpec.Tcp tcp && (tcp.port() < 1 || tcp.port() > 65535)) {
                    out.add(new Problem(a.pos(), "health", "port " + tcp.port() + " is not 1..65535"));
                }
            }
        }

        SnapshotPolicy s = d.snapshots();
        if (s.keep() < 1) {
            out.add(new Problem(s.pos(), "keep", "keep must be at least 1 (the newest snapshot is the rollback point), not " + s.keep()));
        }

        var guests = new HashMap<String, SourcePos>();
        for (JailSpec j : d.jails()) {
            guest(out, "jail", j.name(), j.dataset(), j.apps(), j.pos(), datasets, apps, guests);
        }
        for (ZoneSpec z : d.zones()) {
            guest(out, "zone", z.name(), z.dataset(), z.apps(), z.pos(), datasets, apps, guests);
        }

        d.cluster().ifPresent(c -> {
            if (c.hosts().isEmpty()) {
                out.add(new Problem(c.pos(), "host", "a cluster needs at least one host"));
            }
            if (!STRATEGIES.contains(c.strategy())) {
                out.add(new Problem(c.pos(), "strategy", "'" + c.strategy() + "' is not a strategy (" + String.join(", ", STRATEGIES) + ")"));
            }
            var hosts = new HashMap<String, SourcePos>();
            for (ClusterSpec.HostSpec h : c.hosts()) {
                name(out, h.pos(), "host", h.name());
                if (hosts.putIfAbsent(h.name(), h.pos()) != null) {
                    out.add(new Problem(h.pos(), "host", "host '" + h.name() + "' is declared twice"));
                }
                if (!SSH.matcher(h.ssh()).matches()) {
                    out.add(new Problem(h.pos(), "ssh", "'" + h.ssh() + "' is not user@host[:port]"));
                }
            }
        });
        out.sort(java.util.Comparator.comparingInt((Problem p) -> p.pos().line()).thenComparingInt(p -> p.pos().column()));
        return out;
    }

    /** Throws {@link InvalidDeploymentException} listing every problem, if there is any. */
    public static Deployment check(Deployment d) {
        var problems = validate(d);
        if (!problems.isEmpty()) {
            throw new InvalidDeploymentException(problems);
        }
        return d;
    }

    private static void guest(List<Problem> out, String kind, String name, String dataset, List<String> apps,
                              SourcePos pos, Map<String, DatasetSpec> datasets, Map<String, AppSpec> known,
                              Map<String, SourcePos> seen) {
        name(out, pos, kind, name);
        if (seen.putIfAbsent(kind + ":" + name, pos) != null) {
            out.add(new Problem(pos, kind, kind + " '" + name + "' is declared twice"));
        }
        if (dataset == null || !datasets.containsKey(dataset)) {
            out.add(new Problem(pos, "dataset", kind + " '" + name + "' uses dataset '" + dataset
                    + "', which is not declared" + suggest(String.valueOf(dataset), datasets.keySet())));
        }
        for (String a : apps) {
            if (!known.containsKey(a)) {
                out.add(new Problem(pos, "contains", kind + " '" + name + "' contains app '" + a
                        + "', which is not declared" + suggest(a, known.keySet())));
            }
        }
    }

    private static void name(List<Problem> out, SourcePos pos, String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            out.add(new Problem(pos, what, "'" + name + "' is not a valid " + what
                    + " name (a letter, then letters, digits, _ . - ; at most 64)"));
        }
    }

    /** "; did you mean 'apps/exmc'?" when one declared name is close. */
    public static String suggest(String wrong, java.util.Collection<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int dist = distance(wrong, k);
            if (dist < bestD) {
                bestD = dist;
                best = k;
            }
        }
        return best != null && bestD <= Math.max(2, wrong.length() / 3) ? "; did you mean '" + best + "'?" : "";
    }

    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
