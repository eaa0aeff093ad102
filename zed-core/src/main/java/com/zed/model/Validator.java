package com.zed.model;

import com.zed.beam.ErlangTerms;
import com.zed.model.Problem.Kind;
import com.zed.zfs.InvalidNameException;
import com.zed.zfs.PoolName;
import com.zed.zfs.PropertyName;
import com.zed.zfs.PropertyValues;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a whole {@link Deployment} after the script ran: names, values, cross-references
 * (an app's dataset must be declared), duplicates and collisions on the host. It is the authority:
 * a DSL only collects values and where they were written ({@link SourceMap}); every rule about
 * them is here, each problem with a {@link Kind}, a {@link Field} and the position of the verb or
 * argument that caused it. Compile-time checks catch what they can earlier.
 */
public final class Validator {
    /** Deploy, app, jail and zone names end up in snapshot names, unit names and paths: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_-]+@[A-Za-z0-9_.-]+");
    /** An SSH config alias, or [user@]host[:port]: no spaces, no option-like leading dash. */
    private static final Pattern SSH = Pattern.compile("([A-Za-z0-9._][A-Za-z0-9._-]*@)?[A-Za-z0-9_][A-Za-z0-9._:-]*?(:\\d{1,5})?");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    public static final List<String> STRATEGIES = java.util.Arrays.stream(ClusterSpec.Strategy.values())
            .map(ClusterSpec.Strategy::word).toList();
    public static final List<String> FALLBACKS = java.util.Arrays.stream(ClusterSpec.Fallback.values())
            .map(ClusterSpec.Fallback::word).toList();
    /** A DNS-SD service type browsed by {@code discover}: {@code _name._tcp.local.} (RFC 6763: at most 15 characters). */
    private static final Pattern SERVICE_TYPE = Pattern.compile("_[A-Za-z0-9]([A-Za-z0-9-]{0,14})?\\._(tcp|udp)\\.local\\.");
    /** How long {@code discover} browses, in ms: long enough for answers on a LAN, short enough not to stall a run. */
    public static final int MIN_DISCOVER_WAIT = 100;
    public static final int MAX_DISCOVER_WAIT = 60_000;
    /** More hosts at once than this is a typo, not a plan: each holds an SSH session and a converge. */
    public static final int MAX_PARALLEL = 64;

    /**
     * Environment a release gets from Zed or from its own start script, so a script may not set it:
     * Zed sets NODE, COOKIE and DISTRIBUTION; NAME and VSN would make the release boot something
     * other than what ZFS records; the start script overwrites ROOT and COMMAND. HOME, ERL_ZFLAGS and
     * STATE_DIRECTORY carry the confined unit's cookie credential and state directory (docs/platform.md).
     * The other RELEASE_* knobs (TMP, MODE, VM_ARGS, SYS_CONFIG, ...) are the operator's.
     */
    public static final Map<String, String> RESERVED_ENVIRONMENT = Map.of(
            "RELEASE_NODE", "is set by Zed from nodeName",
            "RELEASE_COOKIE", "is set by Zed from cookie",
            "RELEASE_DISTRIBUTION", "is set by Zed from nodeName",
            "RELEASE_NAME", "would make the start script boot another release than the app's",
            "RELEASE_VSN", "would make the release boot another version than the one ZFS records",
            "RELEASE_ROOT", "is set by the release's start script itself",
            "RELEASE_COMMAND", "is set by the release's start script itself",
            "HOME", "is set by Zed: the node reads its cookie from $HOME/.erlang.cookie, a credential",
            "ERL_ZFLAGS", "is set by Zed to keep the cookie off the node's command line",
            "STATE_DIRECTORY", "is set by Zed to the app's state directory, the only path it may write");
    /** With a fixed distPort Zed passes the port in ERL_AFLAGS on the node's command line, over any value here. */
    public static final String DIST_PORT_VARIABLE = "ERL_AFLAGS";
    public static final Set<String> CAPABILITIES = Set.of(AppSpec.NET_BIND_SERVICE);
    /** Release-script commands that start, stop or attach to a node: as a pre-command they never finish or break the running release. */
    private static final Set<String> NOT_PRE_COMMANDS = Set.of("start", "start_iex", "daemon", "daemon_iex", "remote",
            "restart", "stop", "console", "foreground");
    /** Verbs a block may use any number of times; every other setting is written once. */
    private static final Set<String> REPEATABLE = Set.of("health", "preCommand", "contains", "host");

    /**
     * The systemd units an app owns: its service and its pre-command unit. Must match the platform:
     * BeamRuntime names the service {@code zed-<app>}, LinuxSystemd.runWithEnvironment the one-off
     * unit {@code <service>-cmd} (ValidatorSpec checks both agree with this).
     */
    public static List<String> unitNames(String app) {
        String service = "zed-" + app;
        return List.of(service, service + "-cmd");
    }

    private Validator() {
    }

    /** Problems of a model built in code: positions are those of its elements. */
    public static List<Problem> validate(Deployment d) {
        return validate(d, SourceMap.empty());
    }

    /** Problems of a deployment whose script positions and raw values are in {@code where}; sorted by position. */
    public static List<Problem> validate(Deployment d, SourceMap where) {
        var out = new Out(where);
        out.declared(d, d.pos(), "deploy '" + d.name() + "'");
        name(out, d, d.pos(), Field.of("deploy"), "deploy", d.name());
        where.declarations(d, Field.of("pool")).stream().findFirst().ifPresent(p -> {
            if (out.text(d, d.pos(), Field.of("pool"), p.value(), false)) {
                try {
                    PoolName.of((String) p.value());
                } catch (InvalidNameException e) {
                    out.add(d, d.pos(), Field.of("pool"), Kind.INVALID_NAME, e.getMessage());
                }
            }
        });

        var datasets = datasets(out, d);
        var apps = new HashMap<String, AppSpec>();
        var appByDataset = new HashMap<String, AppSpec>();
        var units = new HashMap<String, AppSpec>();
        for (AppSpec a : d.apps()) {
            app(out, a, datasets, apps, appByDataset, units);
        }

        SnapshotPolicy s = d.snapshots();
        out.declared(s, s.pos(), "snapshots { }");
        if (s.keep() < 1) {
            out.add(s, s.pos(), Field.of("keep"), Kind.OUT_OF_RANGE,
                    "keep must be at least 1 (the newest snapshot is the rollback point), not " + s.keep());
        }

        var guests = new HashMap<String, SourcePos>();
        for (JailSpec j : d.jails()) {
            guest(out, j, "jail", j.name(), j.dataset(), j.apps(), j.pos(), datasets, apps, guests);
        }
        for (ZoneSpec z : d.zones()) {
            guest(out, z, "zone", z.name(), z.dataset(), z.apps(), z.pos(), datasets, apps, guests);
        }
        d.cluster().ifPresent(c -> cluster(out, c));
        var replications = new HashMap<String, ReplicationSpec>();
        for (ReplicationSpec r : d.replications()) {
            replication(out, d, r, replications);
        }
        return out.sorted();
    }

    /** Throws {@link InvalidDeploymentException} listing every problem, if there is any. */
    public static Deployment check(Deployment d) {
        var problems = validate(d);
        if (!problems.isEmpty()) {
            throw new InvalidDeploymentException(problems);
        }
        return d;
    }

    private static Map<String, DatasetSpec> datasets(Out out, Deployment d) {
        var datasets = new LinkedHashMap<String, DatasetSpec>();
        for (DatasetSpec ds : d.datasets()) {
            Field f = Field.of("dataset");
            out.declared(ds, ds.pos(), "dataset '" + ds.path() + "'");
            if (ds.path() == null || ds.path().isEmpty()) {
                out.add(ds, ds.pos(), f, Kind.MISSING, "a dataset needs a path relative to the pool, e.g. 'apps/name'");
                continue;
            }
            if (!out.text(ds, ds.pos(), f, ds.path(), true)) {
                continue;
            }
            if (ds.path().startsWith("/")) {
                out.add(ds, ds.pos(), f, Kind.INVALID_NAME, "'" + ds.path() + "' looks like a mountpoint; a dataset is named"
                        + " relative to the pool, e.g. '" + ds.path().replaceAll("^/+", "") + "' (set mountpoint inside the block)");
                continue;
            }
            try {
                ds.in(d.pool());
            } catch (InvalidNameException e) {
                out.add(ds, ds.pos(), f, Kind.INVALID_NAME,
                        e.getMessage().replace("invalid dataset name '" + d.pool() + "/", "invalid dataset name '"));
                continue;
            }
            DatasetSpec first = datasets.putIfAbsent(ds.path(), ds);
            if (first != null) {
                out.add(ds, ds.pos(), f, Kind.DUPLICATE, "dataset '" + ds.path() + "' is declared twice (first at line "
                        + first.pos().line() + ")");
            }
            // A property the DSL could not name is only in the source map.
            for (SourceMap.Declaration decl : out.where.declarations(ds)) {
                if (decl.field().argument() == null) {
                    try {
                        PropertyName.of(decl.field().setting());
                    } catch (InvalidNameException e) {
                        out.list.add(new Problem(decl.pos(), decl.field(), Kind.INVALID_NAME, e.getMessage()));
                    }
                }
            }
            ds.properties().forEach((k, v) -> {
                Field pf = Field.of(k.value());
                if (!out.text(ds, ds.pos(), pf, v, true)) {
                    return;
                }
                String p = PropertyValues.problem(k, v);
                if (p != null) {
                    out.add(ds, ds.pos(), pf, PropertyValues.overflows(k, v) ? Kind.OVERFLOW : Kind.INVALID_VALUE, p);
                }
            });
        }
        return datasets;
    }

    private static void app(Out out, AppSpec a, Map<String, DatasetSpec> datasets, Map<String, AppSpec> apps,
                            Map<String, AppSpec> appByDataset, Map<String, AppSpec> units) {
        SourcePos pos = a.pos();
        String app = "app '" + a.name() + "'";
        out.declared(a, pos, app);
        if (name(out, a, pos, Field.of("app"), "app", a.name())) {
            AppSpec first = apps.putIfAbsent(a.name(), a);
            if (first != null) {
                out.add(a, pos, Field.of("app"), Kind.DUPLICATE, app + " is declared twice (first at line "
                        + first.pos().line() + ")");
            } else {
                for (String unit : unitNames(a.name())) {
                    AppSpec other = units.putIfAbsent(unit, a);
                    if (other != null && other != a) {
                        out.add(a, pos, Field.of("app"), Kind.COLLISION, app + " and app '" + other.name()
                                + "' both need the systemd unit " + unit + " (units are " + String.join(", ", unitNames("<app>")) + ")");
                    }
                }
            }
        }

        Field ds = Field.of("dataset");
        if (a.dataset() == null || a.dataset().isEmpty()) {
            out.add(a, pos, ds, Kind.MISSING, app + " needs a dataset");
        } else if (!datasets.containsKey(a.dataset())) {
            out.add(a, a.datasetPos(), ds, Kind.UNKNOWN_REFERENCE, app + " uses dataset '" + a.dataset()
                    + "', which is not declared" + suggest(a.dataset(), datasets.keySet()));
        } else {
            AppSpec other = appByDataset.putIfAbsent(a.dataset(), a);
            if (other != null && other != a) {
                out.add(a, a.datasetPos(), ds, Kind.COLLISION, "dataset '" + a.dataset() + "' already holds app '"
                        + other.name() + "'");
            }
        }

        Field version = Field.of("version");
        if (a.version() == null || a.version().isEmpty()) {
            out.add(a, pos, version, Kind.MISSING, app + " needs a version");
        } else if (!VERSION.matcher(a.version()).matches()) {
            out.add(a, pos, version, Kind.INVALID_VALUE, "'" + a.version()
                    + "' is not a version (letters, digits, . _ + - ; starting with a letter or digit)");
        }

        a.nodeName().ifPresent(n -> {
            if (out.text(a, pos, Field.of("nodeName"), n, true) && !NODE.matcher(n).matches()) {
                out.add(a, pos, Field.of("nodeName"), Kind.INVALID_NAME, "'" + n + "' is not a node name (name@host)");
            }
        });
        a.cookie().ifPresent(c -> secret(out, a, Field.of("cookie"), c));
        health(out, a);
        environment(out, a);
        preCommands(out, a);

        a.distPort().ifPresent(p -> {
            int min = a.bindsLowPorts() ? 1 : 1024;
            if (p < min || p > 65535) {
                out.add(a, pos, Field.of("distPort"), Kind.OUT_OF_RANGE, "distPort " + p + " is not " + min + "..65535"
                        + (p >= 1 && p < 1024 ? " (a port below 1024 needs capability '" + AppSpec.NET_BIND_SERVICE + "')" : ""));
            }
        });

        duration(out, a, "stableFor", Optional.of(a.stableFor()), true);
        duration(out, a, "watch", a.watch(), false);
        duration(out, a, "preCommandTimeout", Optional.of(a.preCommandTimeout()), false);

        for (String cap : a.capabilities()) {
            if (!CAPABILITIES.contains(cap)) {
                out.add(a, pos, Field.of("capability", cap), Kind.INVALID_VALUE, "'" + cap + "' is not a capability Zed grants ("
                        + String.join(", ", CAPABILITIES) + ")" + suggest(cap, CAPABILITIES));
            }
        }
    }

    private static void health(Out out, AppSpec a) {
        int n = 0;
        for (HealthCheckSpec h : a.health()) {
            Field f = Field.of("health", ++n);
            String kind = h instanceof HealthCheckSpec.BeamPing ? "beamPing" : h instanceof HealthCheckSpec.Rpc ? "rpc"
                    : h instanceof HealthCheckSpec.Http ? "http" : "tcp";
            if (h.timeoutMillis() <= 0) {
                out.add(a, a.pos(), f.arg("timeout"), Kind.OUT_OF_RANGE, "timeout must be positive, not " + h.timeoutMillis());
            }
            boolean dist = h instanceof HealthCheckSpec.BeamPing || h instanceof HealthCheckSpec.Rpc;
            if (dist && a.nodeName().isEmpty()) {
                out.add(a, a.pos(), f, Kind.MISSING, kind + " needs the app's nodeName");
            } else if (dist && a.cookie().isEmpty()) {
                out.add(a, a.pos(), f, Kind.MISSING, kind + " needs the app's cookie (cookie env('NAME') or file('/path'))");
            }
            if (h instanceof HealthCheckSpec.Rpc rpc) {
                // Parsed here, not only when the check first runs: after the switch, a typo costs a rollback.
                term(out, a, f.arg("expect"), "expect", rpc.expect());
                for (int i = 0; i < rpc.args().size(); i++) {
                    term(out, a, f.arg("args"), "args element " + (i + 1), rpc.args().get(i));
                }
                for (String part : new String[] {"module", "function"}) {
                    String v = part.equals("module") ? rpc.module() : rpc.function();
                    if (v == null || v.isBlank()) {
                        out.add(a, a.pos(), f.arg(part), Kind.MISSING, "rpc needs a " + part);
                    }
                }
            } else if (h instanceof HealthCheckSpec.Http http) {
                try {
                    URI u = URI.create(http.url());
                    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                        out.add(a, a.pos(), f.arg("url"), Kind.INVALID_VALUE,
                                "http url must start with http:// or https://: " + http.url());
                    }
                } catch (IllegalArgumentException | NullPointerException e) {
                    out.add(a, a.pos(), f.arg("url"), Kind.INVALID_VALUE, "not a URL: " + http.url());
                }
                if (http.status() < 100 || http.status() > 599) {
                    out.add(a, a.pos(), f.arg("status"), Kind.OUT_OF_RANGE, "HTTP status " + http.status() + " is not 100..599");
                }
            } else if (h instanceof HealthCheckSpec.Tcp tcp && (tcp.port() < 1 || tcp.port() > 65535)) {
                out.add(a, a.pos(), f.arg("port"), Kind.OUT_OF_RANGE, "port " + tcp.port() + " is not 1..65535");
            }
        }
    }

    private static void term(Out out, AppSpec a, Field f, String what, String text) {
        if (text == null) {
            out.add(a, a.pos(), f, Kind.MISSING, "rpc needs " + what);
            return;
        }
        try {
            ErlangTerms.parse(text);
        } catch (IllegalArgumentException e) {
            out.add(a, a.pos(), f, Kind.SYNTAX, what + " is not an Erlang term: " + e.getMessage());
        }
    }

    private static void environment(Out out, AppSpec a) {
        // Names the DSL could not use as a key (null) are only in the source map; the null rule reports them.
        a.environment().forEach((k, v) -> {
            Field f = Field.of("environment", k);
            if (!out.text(a, a.pos(), f.arg("name"), k, true)) {
                return;
            }
            if (!ENV_NAME.matcher(k).matches()) {
                out.add(a, a.pos(), f.arg("name"), Kind.INVALID_NAME, "'" + k + "' is not an environment variable name"
                        + " (letters, digits and _, not starting with a digit)");
            } else if (RESERVED_ENVIRONMENT.containsKey(k)) {
                out.add(a, a.pos(), f.arg("name"), Kind.RESERVED, k + " " + RESERVED_ENVIRONMENT.get(k) + "; it cannot be set here");
            } else if (k.equals(DIST_PORT_VARIABLE) && a.distPort().isPresent()) {
                out.add(a, a.pos(), f.arg("name"), Kind.RESERVED, k + " is set by Zed for the node when distPort is set"
                        + " (it carries inet_dist_listen_min/max)");
            }
            if (v instanceof EnvValue.Secret s) {
                secret(out, a, f.arg("value"), s.ref());
            } else if (((EnvValue.Literal) v).value() == null) {
                out.add(a, a.pos(), f.arg("value"), Kind.MISSING, k + " needs a value");
            } else {
                out.text(a, a.pos(), f.arg("value"), ((EnvValue.Literal) v).value(), true);
            }
        });
    }

    private static void secret(Out out, Object element, Field f, SecretRef ref) {
        SourcePos pos = element instanceof AppSpec a ? a.pos() : SourcePos.UNKNOWN;
        if (ref instanceof SecretRef.Env e) {
            if (e.name() == null || !ENV_NAME.matcher(e.name()).matches()) {
                out.add(element, pos, f, Kind.INVALID_NAME, "env('" + e.name() + "'): not an environment variable name");
            }
        } else if (ref instanceof SecretRef.File file) {
            if (file.path() == null || file.path().isEmpty()) {
                out.add(element, pos, f, Kind.MISSING, "file() needs a path");
            } else {
                out.text(element, pos, f, file.path(), true);
            }
        }
    }

    private static void preCommands(Out out, AppSpec a) {
        int n = 0;
        for (List<String> cmd : a.preCommands()) {
            Field f = Field.of("preCommand", ++n);
            if (cmd.isEmpty()) {
                out.add(a, a.pos(), f, Kind.MISSING, "preCommand needs the arguments for the release script, e.g. 'eval', 'M.f()'");
                continue;
            }
            boolean clean = true;
            for (int i = 0; i < cmd.size(); i++) {
                clean &= out.text(a, a.pos(), f.arg("arg" + (i + 1)), cmd.get(i), true);
            }
            if (!clean) {
                continue;
            }
            String command = cmd.get(0);
            if (NOT_PRE_COMMANDS.contains(command)) {
                out.add(a, a.pos(), f.arg("arg1"), Kind.INVALID_VALUE, "'" + command + "' starts, stops or attaches to a node;"
                        + " a pre-command must finish on its own (e.g. 'eval', 'M.f()')");
            } else if ((command.equals("eval") || command.equals("rpc")) && (cmd.size() < 2 || cmd.get(1).isBlank())) {
                out.add(a, a.pos(), f, Kind.MISSING, command + " needs an expression: preCommand '" + command + "', 'M.f()'");
            }
        }
    }

    /** Raw text (from the source map) must parse; the model's value must be in range. */
    private static void duration(Out out, AppSpec a, String setting, Optional<Duration> value, boolean zeroAllowed) {
        Field f = Field.of(setting);
        for (SourceMap.Declaration decl : out.where.declarations(a, f)) {
            if (decl.value() instanceof String text) {
                try {
                    Durations.parse(text);
                } catch (ArithmeticException e) {
                    out.list.add(new Problem(decl.pos(), f, Kind.OVERFLOW, e.getMessage()));
                } catch (IllegalArgumentException e) {
                    out.list.add(new Problem(decl.pos(), f, Kind.SYNTAX, e.getMessage()));
                }
            }
        }
        value.ifPresent(v -> {
            if (v.isNegative() || v.isZero() && !zeroAllowed) {
                out.add(a, a.pos(), f, Kind.OUT_OF_RANGE, setting + " must be " + (zeroAllowed ? "0 or more" : "positive")
                        + ", not " + Durations.format(v));
            }
        });
    }

    private static void guest(Out out, Object element, String kind, String name, String dataset, List<String> apps,
                              SourcePos pos, Map<String, DatasetSpec> datasets, Map<String, AppSpec> known,
                              Map<String, SourcePos> seen) {
        out.declared(element, pos, kind + " '" + name + "'");
        name(out, element, pos, Field.of(kind), kind, name);
        if (seen.putIfAbsent(kind + ":" + name, pos) != null) {
            out.add(element, pos, Field.of(kind), Kind.DUPLICATE, kind + " '" + name + "' is declared twice");
        }
        if (dataset == null || !datasets.containsKey(dataset)) {
            out.add(element, pos, Field.of("dataset"), dataset == null ? Kind.MISSING : Kind.UNKNOWN_REFERENCE,
                    kind + " '" + name + "' uses dataset '" + dataset + "', which is not declared"
                            + suggest(String.valueOf(dataset), datasets.keySet()));
        }
        for (String a : apps) {
            if (!known.containsKey(a)) {
                out.add(element, pos, Field.of("contains"), Kind.UNKNOWN_REFERENCE, kind + " '" + name + "' contains app '" + a
                        + "', which is not declared" + suggest(a, known.keySet()));
            }
        }
    }

    private static void cluster(Out out, ClusterSpec c) {
        out.declared(c, c.pos(), "cluster '" + c.name() + "'");
        if (c.hosts().isEmpty() && c.discover().isEmpty()) {
            out.add(c, c.pos(), Field.of("host"), Kind.MISSING, "a cluster needs at least one host (or discover)");
        }
        c.discover().ifPresent(x -> discover(out, c, x));
        if (!STRATEGIES.contains(c.strategy())) {
            out.add(c, c.pos(), Field.of("strategy"), Kind.INVALID_VALUE,
                    "'" + c.strategy() + "' is not a strategy (" + String.join(", ", STRATEGIES) + ")");
        }
        if (!FALLBACKS.contains(c.fallback())) {
            out.add(c, c.pos(), Field.of("fallback"), Kind.INVALID_VALUE,
                    "'" + c.fallback() + "' is not a fallback (" + String.join(", ", FALLBACKS) + ")");
        }
        if (c.parallel() < 1 || c.parallel() > MAX_PARALLEL) {
            out.add(c, c.pos(), Field.of("parallel"), Kind.OUT_OF_RANGE,
                    "parallel must be between 1 and " + MAX_PARALLEL + ", not " + c.parallel());
        }
        var hosts = new HashSet<String>();
        var pools = new HashMap<String, String>();
        for (ClusterSpec.HostSpec h : c.hosts()) {
            host(out, h);
            if (!hosts.add(h.name())) {
                out.add(h, h.pos(), Field.of("host"), Kind.DUPLICATE, "host '" + h.name() + "' is declared twice");
            }
            // Two hosts reached the same way would deploy one machine twice, concurrently.
            String where = h.ssh() + " " + h.pool().orElse("");
            String other = pools.putIfAbsent(where, h.name());
            if (other != null && h.ssh() != null) {
                out.add(h, h.pos(), Field.of("ssh"), Kind.COLLISION, "host '" + h.name() + "' is reached as '" + h.ssh()
                        + "'" + h.pool().map(p -> " with pool '" + p + "'").orElse("") + ", like host '" + other + "'");
            }
        }
    }

    /**
     * Problems of one cluster host on its own (name, ssh target, labels, pool, env): the rules a
     * declared host follows, applied to a host found at run time (discovered over mDNS) before it is used.
     */
    public static List<Problem> validateHost(ClusterSpec.HostSpec h) {
        var out = new Out(SourceMap.empty());
        host(out, h);
        return out.sorted();
    }

    private static void host(Out out, ClusterSpec.HostSpec h) {
        name(out, h, h.pos(), Field.of("host"), "host", h.name());
        if (h.ssh() == null || !SSH.matcher(h.ssh()).matches()) {
            out.add(h, h.pos(), Field.of("ssh"), Kind.INVALID_VALUE,
                    "'" + h.ssh() + "' is not an SSH config alias or [user@]host[:port]");
        }
        for (String l : h.labels()) {
            if (!LABEL.matcher(l).matches()) {
                out.add(h, h.pos(), Field.of("labels"), Kind.INVALID_VALUE, "'" + l
                        + "' is not a label (a letter or digit, then letters, digits, _ . - ; at most 64)");
            }
        }
        h.pool().ifPresent(p -> {
            try {
                com.zed.zfs.PoolName.of(p);
            } catch (com.zed.zfs.InvalidNameException e) {
                out.add(h, h.pos(), Field.of("pool"), Kind.INVALID_NAME, e.getMessage());
            }
        });
        h.env().forEach((k, v) -> {
            if (!ENV_NAME.matcher(k).matches()) {
                out.add(h, h.pos(), Field.of("env"), Kind.INVALID_NAME, "'" + k + "' is not an environment variable name");
            } else if (RESERVED_ENVIRONMENT.containsKey(k)) {
                out.add(h, h.pos(), Field.of("env"), Kind.RESERVED, k + " " + RESERVED_ENVIRONMENT.get(k)
                        + "; it cannot be set here");
            } else if (v == null || v.indexOf('\n') >= 0 || v.indexOf('\0') >= 0) {
                out.add(h, h.pos(), Field.of("env"), Kind.FORBIDDEN_CHARACTER, k + ": a value is one line, without NUL");
            }
        });
    }

    /** Problems of a {@code discover} given outside a script (zed discover's options): the rules of the verb. */
    public static List<Problem> validateDiscover(ClusterSpec.Discover x) {
        var out = new Out(SourceMap.empty());
        discover(out, x, x);
        return out.sorted();
    }

    /** {@code c}: the element the script's positions are recorded for (the cluster, or {@code x} itself). */
    private static void discover(Out out, Object c, ClusterSpec.Discover x) {
        if (x.service() == null || !SERVICE_TYPE.matcher(x.service()).matches()) {
            out.add(c, x.pos(), Field.of("discover").arg("service"), Kind.INVALID_VALUE, "'" + x.service()
                    + "' is not a DNS-SD service type (_name._tcp.local.)");
        }
        if (x.waitMillis() < MIN_DISCOVER_WAIT || x.waitMillis() > MAX_DISCOVER_WAIT) {
            out.add(c, x.pos(), Field.of("discover").arg("wait"), Kind.OUT_OF_RANGE, "wait must be between "
                    + MIN_DISCOVER_WAIT + " and " + MAX_DISCOVER_WAIT + " ms, not " + x.waitMillis());
        }
        for (String l : x.labels()) {
            if (l == null || !LABEL.matcher(l).matches()) {
                out.add(c, x.pos(), Field.of("discover").arg("labels"), Kind.INVALID_VALUE, "'" + l
                        + "' is not a label (a letter or digit, then letters, digits, _ . - ; at most 64)");
            }
        }
    }

    /** An ssh alias ({@code dr}) or {@code user@host[:port]}. */
    private static final Pattern SSH_SPEC = Pattern.compile("([A-Za-z0-9._-]+@)?[A-Za-z0-9][A-Za-z0-9._-]*(:\\d{1,5})?");

    private static void replication(Out out, Deployment d, ReplicationSpec r, Map<String, ReplicationSpec> seen) {
        out.declared(r, r.pos(), "replicate '" + r.dataset() + "'");
        Field f = Field.of("replicate");
        if (r.dataset() == null || r.dataset().isEmpty()) {
            out.add(r, r.pos(), f, Kind.MISSING, "replicate needs a dataset relative to the pool, e.g. 'apps/name'");
        } else if (out.text(r, r.pos(), f, r.dataset(), true)) {
            try {
                com.zed.zfs.DatasetName.of(d.pool().value() + "/" + r.dataset());
            } catch (InvalidNameException e) {
                out.add(r, r.pos(), f, Kind.INVALID_NAME,
                        e.getMessage().replace("invalid dataset name '" + d.pool() + "/", "invalid dataset name '"));
            }
        }
        Field to = Field.of("to");
        if (r.host() == null) {
            out.add(r, r.pos(), to, Kind.MISSING, "replicate needs a target: to 'host', dataset: 'pool/path'");
        } else if (out.text(r, r.pos(), to, r.host(), true) && !SSH_SPEC.matcher(r.host()).matches()) {
            out.add(r, r.pos(), to.arg("arg1"), Kind.INVALID_VALUE, "'" + r.host() + "' is not an ssh alias or user@host[:port]");
        }
        Field target = to.arg("dataset");
        if (r.targetDataset() == null || r.targetDataset().isEmpty()) {
            if (r.host() != null) {
                out.add(r, r.pos(), target, Kind.MISSING, "the target needs a dataset: to '" + r.host() + "', dataset: 'pool/path'");
            }
        } else if (out.text(r, r.pos(), target, r.targetDataset(), true)) {
            try {
                var ds = com.zed.zfs.DatasetName.of(r.targetDataset());
                if (ds.isPoolRoot()) {
                    out.add(r, r.pos(), target, Kind.INVALID_VALUE, "the target dataset must not be a pool's root: '"
                            + r.targetDataset() + "' (name a dataset below it, e.g. '" + r.targetDataset() + "/" + r.dataset() + "')");
                }
            } catch (InvalidNameException e) {
                out.add(r, r.pos(), target, Kind.INVALID_NAME, e.getMessage());
            }
            ReplicationSpec first = seen.putIfAbsent(r.host() + " " + r.targetDataset(), r);
            if (first != null) {
                out.add(r, r.pos(), target, Kind.DUPLICATE, "'" + r.targetDataset() + "' on '" + r.host()
                        + "' is already the target of replicate '" + first.dataset() + "' (line " + first.pos().line() + ")");
            }
        }
        if (r.keep().isPresent() && r.keep().getAsInt() < 1) {
            out.add(r, r.pos(), Field.of("keep"), Kind.OUT_OF_RANGE,
                    "keep must be at least 1 (the newest common snapshot is the next incremental's base), not " + r.keep().getAsInt());
        }
    }

    private static boolean name(Out out, Object element, SourcePos pos, Field f, String what, String name) {
        if (!out.text(element, pos, f, name, true)) {
            return false;
        }
        if (name == null || !NAME.matcher(name).matches()) {
            out.add(element, pos, f, Kind.INVALID_NAME, "'" + name + "' is not a valid " + what
                    + " name (a letter, then letters, digits, _ . - ; at most 64)");
            return false;
        }
        return true;
    }

    /** Problems found so far, and where the script wrote each field. */
    private static final class Out {
        final List<Problem> list = new ArrayList<>();
        final SourceMap where;

        Out(SourceMap where) {
            this.where = where;
        }

        /** A problem at the verb or argument that wrote {@code field}, else at {@code fallback}. */
        void add(Object element, SourcePos fallback, Field field, Kind kind, String message) {
            list.add(new Problem(where.find(element, field).orElse(fallback), field, kind, message));
        }

        /**
         * CR and NUL end a line or a string in a unit or environment file, so nothing that reaches one
         * may hold them; nor a newline where {@code newline} says it ends up on one line. False when found.
         */
        boolean text(Object element, SourcePos fallback, Field field, Object value, boolean newline) {
            if (!(value instanceof String s)) {
                return true; // nothing to corrupt; whether a null is allowed is the caller's rule
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\r' || c == '\0' || c == '\n' && newline) {
                    String what = c == '\r' ? "a carriage return (CR)" : c == '\0' ? "a NUL character" : "a newline";
                    add(element, fallback, field, Kind.FORBIDDEN_CHARACTER, "contains " + what + " at position " + (i + 1)
                            + ", which would corrupt the unit or environment file it is written to");
                    return false;
                }
            }
            return true;
        }

        /** Rules on what was written, whatever the model kept: a setting written twice, a null given. */
        void declared(Object element, SourcePos fallback, String describe) {
            var first = new HashMap<Field, SourcePos>();
            for (SourceMap.Declaration decl : where.declarations(element)) {
                Field f = decl.field();
                if (decl.value() == null) {
                    list.add(new Problem(decl.pos(), f, Kind.MISSING, f + " needs a value, not null"));
                }
                if (f.argument() != null || REPEATABLE.contains(f.setting())) {
                    continue;
                }
                SourcePos at = first.putIfAbsent(f, decl.pos());
                if (at != null) {
                    list.add(new Problem(decl.pos(), f, Kind.DUPLICATE, f + " is set twice in " + describe
                            + " (first at line " + at.line() + ")"));
                }
            }
        }

        /** By position; one problem per position, field and kind (the null rule and a model rule may both see a null). */
        List<Problem> sorted() {
            var seen = new HashSet<String>();
            var result = new ArrayList<Problem>();
            for (Problem p : list) {
                if (seen.add(p.pos() + " " + p.field() + " " + p.kind())) {
                    result.add(p);
                }
            }
            result.sort(Comparator.comparingInt((Problem p) -> p.pos().line()).thenComparingInt(p -> p.pos().column()));
            return result;
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
