package com.zed.dsl;

import com.zed.model.AppSpec;
import com.zed.model.Durations;
import com.zed.model.EnvValue;
import com.zed.model.Field;
import com.zed.model.HealthCheckSpec;
import com.zed.model.SecretRef;
import com.zed.model.SourcePos;
import groovy.transform.NamedParam;
import groovy.transform.NamedParams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code app('name') { ... }}: one BEAM release, where it lives and how to tell it is healthy.
 * Collects what each verb was given and where; the Validator judges it. A setting written twice
 * keeps its first value (the Validator reports the second).
 */
public final class AppBlock {
    /** Health checks wait this long unless told otherwise. */
    public static final int DEFAULT_TIMEOUT_MS = 5000;

    private final ScriptState state;
    private final String name;
    final SourcePos pos;
    private final Declared declared;
    private String dataset;
    private SourcePos datasetPos;
    private String version;
    private String nodeName;
    private SecretRef cookie;
    private final List<HealthCheckSpec> health = new ArrayList<>();
    /** What each check's builder (rpc(...), http(...)) was given, until health(...) takes the check. */
    private final Map<HealthCheckSpec, Declared> checkArgs = new IdentityHashMap<>();
    private final Map<String, EnvValue> environment = new LinkedHashMap<>();
    private final List<List<String>> preCommands = new ArrayList<>();
    private Integer distPort;
    private boolean recordOnly;
    private Duration stableFor = AppSpec.DEFAULT_STABLE_FOR;
    private Duration watch;
    private Duration preCommandTimeout = AppSpec.DEFAULT_PRE_COMMAND_TIMEOUT;
    private final Set<String> capabilities = new LinkedHashSet<>();

    AppBlock(ScriptState state, String name, SourcePos pos) {
        this.state = state;
        this.name = name;
        this.pos = pos;
        this.declared = new Declared(state);
    }

    /** The dataset the release lives in: a path declared with {@code dataset(...)} in the deploy. */
    @Usage("dataset 'apps/name'")
    public void dataset(String path) {
        SourcePos at = state.pos("dataset");
        if (declared.add(Field.of("dataset"), at, path)) {
            dataset = path;
            datasetPos = at;
        }
    }

    /** The release version ('1.4.2'). */
    @Usage("version '1.4.2'")
    public void version(String version) {
        if (declared.add(Field.of("version"), state.pos("version"), version)) {
            this.version = version;
        }
    }

    /** The Erlang node name, {@code name@host}. */
    @Usage("nodeName 'app@127.0.0.1'")
    public void nodeName(String nodeName) {
        if (declared.add(Field.of("nodeName"), state.pos("nodeName"), nodeName)) {
            this.nodeName = nodeName;
        }
    }

    /** The Erlang cookie, as a secret reference: {@code env('NAME')} or {@code file('/path')}. */
    @Usage("cookie env('RELEASE_COOKIE')")
    public void cookie(SecretRef cookie) {
        if (declared.add(Field.of("cookie"), state.pos("cookie"), cookie)) {
            this.cookie = cookie;
        }
    }

    /** Adds a health check: {@code beamPing(...)}, {@code rpc(...)}, {@code http(...)} or {@code tcp(...)}. */
    @Usage("health http(url: 'http://127.0.0.1:4000/health')")
    public void health(HealthCheckSpec check) {
        SourcePos at = state.pos("health");
        if (check == null) {
            declared.add(Field.of("health"), at, null);
            return;
        }
        health.add(check);
        Field f = Field.of("health", health.size());
        declared.add(f, at, check);
        Declared args = checkArgs.remove(check);
        if (args != null) {
            args.list.forEach(d -> declared.add(new Field(f.setting(), f.key(), d.field().argument()), d.pos(), d.value()));
        }
    }

    /** An environment variable for the release. */
    @Usage("environment 'POOL_SIZE', '10'")
    public void environment(String variable, String value) {
        putEnvironment(variable, value, new EnvValue.Literal(value));
    }

    /** An environment variable for the release whose value is a secret, resolved at apply time. */
    @Usage("environment 'DB_PASSWORD', env('DB_PASSWORD')")
    public void environment(String variable, SecretRef value) {
        putEnvironment(variable, value, value == null ? null : new EnvValue.Secret(value));
    }

    private void putEnvironment(String variable, Object raw, EnvValue value) {
        SourcePos at = state.pos("environment");
        Field f = Field.of("environment", String.valueOf(variable));
        boolean first = declared.add(f, at, Arrays.asList(variable, raw));
        declared.args(f, at, List.of("name", "value"), variable, raw);
        if (first && variable != null && value != null) {
            environment.put(variable, value);
        }
    }

    /** A command run with the new release before the switch, as arguments to its bin script. */
    @Usage("preCommand 'eval', 'MyApp.Release.migrate()'")
    public void preCommand(String... args) {
        SourcePos at = state.pos("preCommand");
        String[] given = args == null ? new String[0] : args;
        Field f = Field.of("preCommand", preCommands.size() + 1);
        declared.add(f, at, Arrays.asList(given));
        declared.args(f, at, List.of(), (Object[]) given);
        preCommands.add(Arrays.stream(given).filter(Objects::nonNull).toList()); // a null is reported, not kept
    }

    /** How long each pre-command may run ('5m'; default 5m) before it counts as failed and the deploy is undone. */
    @Usage("preCommandTimeout '5m'")
    public void preCommandTimeout(String duration) {
        if (declared.add(Field.of("preCommandTimeout"), state.pos("preCommandTimeout"), duration)) {
            parse(duration).ifPresent(d -> preCommandTimeout = d);
        }
    }

    /** A fixed Erlang distribution port for the node (inet_dist_listen_min/max). */
    @Usage("distPort 9100")
    public void distPort(int port) {
        if (declared.add(Field.of("distPort"), state.pos("distPort"), port)) {
            distPort = port;
        }
    }

    /** Only record the version in ZFS; no release is unpacked or started (without it, a missing release is an error). */
    @Usage("recordOnly true")
    public void recordOnly(boolean on) {
        if (declared.add(Field.of("recordOnly"), state.pos("recordOnly"), on)) {
            recordOnly = on;
        }
    }

    /** How long every health check must keep passing after the first success ('30s'; default 5s). */
    @Usage("stableFor '30s'")
    public void stableFor(String duration) {
        if (declared.add(Field.of("stableFor"), state.pos("stableFor"), duration)) {
            parse(duration).ifPresent(d -> stableFor = d);
        }
    }

    /** After the deploy, watch the release this long and roll it back if it starts failing ('10m'). */
    @Usage("watch '10m'")
    public void watch(String duration) {
        if (declared.add(Field.of("watch"), state.pos("watch"), duration)) {
            parse(duration).ifPresent(d -> watch = d);
        }
    }

    /** A Linux capability granted to the app: 'net_bind_service' to bind ports below 1024. */
    @Usage("capability 'net_bind_service'")
    public void capability(String capability) {
        if (declared.add(Field.of("capability", String.valueOf(capability)), state.pos("capability"), capability)
                && capability != null) {
            capabilities.add(capability);
        }
    }

    /** A secret from an environment variable, read when the deploy is applied. */
    @Usage("env('NAME')")
    public SecretRef env(String name) {
        return new SecretRef.Env(name);
    }

    /** A secret from a file, read when the deploy is applied. */
    @Usage("file('/etc/zed/cookie')")
    public SecretRef file(String path) {
        return new SecretRef.File(path);
    }

    /** {@code net_adm:ping} of the app's node (needs {@code nodeName}); timeout 5000 ms. */
    @Usage("beamPing(timeout: 5000)")
    public HealthCheckSpec beamPing(@NamedParams({@NamedParam(value = "timeout", type = Integer.class)})
                                    Map<String, Object> options) {
        return check("beamPing", options, new HealthCheckSpec.BeamPing(timeout(options)));
    }

    /** {@code net_adm:ping} of the app's node with the default timeout. */
    @Usage("beamPing()")
    public HealthCheckSpec beamPing() {
        return beamPing(Map.of());
    }

    /** {@code rpc:call(Node, module, function, args)} must return {@code expect} (Erlang term text). */
    @Usage("rpc(module: 'erlang', function: 'node', args: [], expect: \"'app@host'\", timeout: 3000)")
    public HealthCheckSpec rpc(@NamedParams({
            @NamedParam(value = "module", type = String.class, required = true),
            @NamedParam(value = "function", type = String.class, required = true),
            @NamedParam(value = "args", type = List.class),
            @NamedParam(value = "expect", type = String.class, required = true),
            @NamedParam(value = "timeout", type = Integer.class)}) Map<String, Object> options) {
        Object args = options.get("args");
        List<String> argv = args instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        return check("rpc", options, new HealthCheckSpec.Rpc(str(options, "module"), str(options, "function"), argv,
                str(options, "expect"), timeout(options)));
    }

    /** An HTTP GET of {@code url} must answer {@code status} (default 200). */
    @Usage("http(url: 'http://127.0.0.1:4000/health', status: 200, timeout: 2000)")
    public HealthCheckSpec http(@NamedParams({
            @NamedParam(value = "url", type = String.class, required = true),
            @NamedParam(value = "status", type = Integer.class),
            @NamedParam(value = "timeout", type = Integer.class)}) Map<String, Object> options) {
        Object status = options.get("status");
        return check("http", options, new HealthCheckSpec.Http(str(options, "url"),
                status instanceof Number n ? n.intValue() : 200, timeout(options)));
    }

    /** A TCP connect to {@code host:port} must succeed. */
    @Usage("tcp(host: '127.0.0.1', port: 4000, timeout: 1000)")
    public HealthCheckSpec tcp(@NamedParams({
            @NamedParam(value = "host", type = String.class, required = true),
            @NamedParam(value = "port", type = Integer.class, required = true),
            @NamedParam(value = "timeout", type = Integer.class)}) Map<String, Object> options) {
        Object port = options.get("port");
        return check("tcp", options, new HealthCheckSpec.Tcp(str(options, "host"),
                port instanceof Number n ? n.intValue() : 0, timeout(options)));
    }

    /** Keeps where the check's named arguments were written, for health(...) to record under its field. */
    private HealthCheckSpec check(String verb, Map<String, Object> options, HealthCheckSpec check) {
        var args = new Declared(state);
        args.named(Field.of(verb), state.pos(verb), options);
        checkArgs.put(check, args);
        return check;
    }

    private static Optional<Duration> parse(String text) {
        try {
            return Optional.of(Durations.parse(text));
        } catch (IllegalArgumentException | ArithmeticException e) {
            return Optional.empty(); // the Validator reports it, from the text recorded
        }
    }

    private static long timeout(Map<String, Object> options) {
        Object t = options.get("timeout");
        return t instanceof Number n ? n.longValue() : DEFAULT_TIMEOUT_MS;
    }

    private static String str(Map<String, Object> options, String key) {
        Object v = options.get(key);
        return v == null ? null : v.toString();
    }

    AppSpec build() {
        return declared.to(new AppSpec(name, dataset, version, Optional.ofNullable(nodeName), Optional.ofNullable(cookie),
                health, pos, datasetPos != null ? datasetPos : pos, environment, preCommands,
                distPort == null ? OptionalInt.empty() : OptionalInt.of(distPort), recordOnly, stableFor,
                Optional.ofNullable(watch), preCommandTimeout, capabilities));
    }
}
