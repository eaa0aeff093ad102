package com.zed.dsl;

import com.zed.model.AppSpec;
import com.zed.model.HealthCheckSpec;
import com.zed.model.SecretRef;
import com.zed.model.SourcePos;
import groovy.transform.NamedParam;
import groovy.transform.NamedParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code app('name') { ... }}: one BEAM release, where it lives and how to tell it is healthy. */
public final class AppBlock {
    /** Health checks wait this long unless told otherwise. */
    public static final int DEFAULT_TIMEOUT_MS = 5000;

    private final ScriptState state;
    private final String name;
    final SourcePos pos;
    private String dataset;
    private SourcePos datasetPos;
    private String version;
    private String nodeName;
    private SecretRef cookie;
    private final List<HealthCheckSpec> health = new ArrayList<>();
    private final Map<String, com.zed.model.EnvValue> environment = new java.util.LinkedHashMap<>();
    private final List<List<String>> preCommands = new ArrayList<>();
    private Integer distPort;

    AppBlock(ScriptState state, String name, SourcePos pos) {
        this.state = state;
        this.name = name;
        this.pos = pos;
    }

    /** The dataset the release lives in: a path declared with {@code dataset(...)} in the deploy. */
    @Usage("dataset 'apps/name'")
    public void dataset(String path) {
        SourcePos at = state.pos("dataset");
        if (once("dataset", dataset != null, at)) {
            dataset = path;
            datasetPos = at;
        }
    }

    /** The release version ('1.4.2'). */
    @Usage("version '1.4.2'")
    public void version(String version) {
        SourcePos at = state.pos("version");
        if (once("version", this.version != null, at)) {
            this.version = version;
            state.field(pos, "version", at);
        }
    }

    /** The Erlang node name, {@code name@host}. */
    @Usage("nodeName 'app@127.0.0.1'")
    public void nodeName(String nodeName) {
        SourcePos at = state.pos("nodeName");
        if (once("nodeName", this.nodeName != null, at)) {
            this.nodeName = nodeName;
            state.field(pos, "nodeName", at);
        }
    }

    /** The Erlang cookie, as a secret reference: {@code env('NAME')} or {@code file('/path')}. */
    @Usage("cookie env('RELEASE_COOKIE')")
    public void cookie(SecretRef cookie) {
        SourcePos at = state.pos("cookie");
        if (once("cookie", this.cookie != null, at)) {
            this.cookie = cookie;
        }
    }

    /** Adds a health check: {@code beamPing(...)}, {@code rpc(...)}, {@code http(...)} or {@code tcp(...)}. */
    @Usage("health http(url: 'http://127.0.0.1:4000/health')")
    public void health(HealthCheckSpec check) {
        SourcePos at = state.pos("health");
        if (check == null) {
            state.problem(at, "health", "health needs a check: beamPing(), rpc(...), http(...) or tcp(...)");
            return;
        }
        health.add(check);
        String kind = check instanceof HealthCheckSpec.BeamPing ? "beamPing"
                : check instanceof HealthCheckSpec.Rpc ? "rpc"
                : check instanceof HealthCheckSpec.Http ? "http" : "tcp";
        if (!state.fieldPos.getOrDefault(pos, Map.of()).containsKey("health:" + kind)) {
            state.field(pos, "health:" + kind, at);
        }
    }

    /** An environment variable for the release. */
    @Usage("environment 'POOL_SIZE', '10'")
    public void environment(String variable, String value) {
        putEnvironment(variable, new com.zed.model.EnvValue.Literal(value));
    }

    /** An environment variable for the release whose value is a secret, resolved at apply time. */
    @Usage("environment 'DB_PASSWORD', env('DB_PASSWORD')")
    public void environment(String variable, SecretRef value) {
        putEnvironment(variable, new com.zed.model.EnvValue.Secret(value));
    }

    private void putEnvironment(String variable, com.zed.model.EnvValue value) {
        SourcePos at = state.pos("environment");
        if (variable == null || !variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            state.problem(at, "environment", "'" + variable + "' is not an environment variable name");
        } else if (variable.startsWith("RELEASE_")) {
            state.problem(at, "environment", variable + " is set by Zed from nodeName and cookie");
        } else if (environment.putIfAbsent(variable, value) != null) {
            state.problem(at, "environment", variable + " is set twice in app '" + name + "'");
        }
    }

    /** A command run with the new release before the switch, as arguments to its bin script. */
    @Usage("preCommand 'eval', 'MyApp.Release.migrate()'")
    public void preCommand(String... args) {
        SourcePos at = state.pos("preCommand");
        if (args.length == 0) {
            state.problem(at, "preCommand", "preCommand needs the arguments for the release script, e.g. 'eval', 'M.f()'");
            return;
        }
        preCommands.add(List.of(args));
    }

    /** A fixed Erlang distribution port for the node (inet_dist_listen_min/max). */
    @Usage("distPort 9100")
    public void distPort(int port) {
        SourcePos at = state.pos("distPort");
        if (port < 1024 || port > 65535) {
            state.problem(at, "distPort", "distPort " + port + " is not 1024..65535");
        } else if (once("distPort", distPort != null, at)) {
            distPort = port;
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
        return new HealthCheckSpec.BeamPing(timeout(options));
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
        return new HealthCheckSpec.Rpc(str(options, "module"), str(options, "function"), argv,
                str(options, "expect"), timeout(options));
    }

    /** An HTTP GET of {@code url} must answer {@code status} (default 200). */
    @Usage("http(url: 'http://127.0.0.1:4000/health', status: 200, timeout: 2000)")
    public HealthCheckSpec http(@NamedParams({
            @NamedParam(value = "url", type = String.class, required = true),
            @NamedParam(value = "status", type = Integer.class),
            @NamedParam(value = "timeout", type = Integer.class)}) Map<String, Object> options) {
        Object status = options.get("status");
        return new HealthCheckSpec.Http(str(options, "url"), status instanceof Number n ? n.intValue() : 200,
                timeout(options));
    }

    /** A TCP connect to {@code host:port} must succeed. */
    @Usage("tcp(host: '127.0.0.1', port: 4000, timeout: 1000)")
    public HealthCheckSpec tcp(@NamedParams({
            @NamedParam(value = "host", type = String.class, required = true),
            @NamedParam(value = "port", type = Integer.class, required = true),
            @NamedParam(value = "timeout", type = Integer.class)}) Map<String, Object> options) {
        Object port = options.get("port");
        return new HealthCheckSpec.Tcp(str(options, "host"), port instanceof Number n ? n.intValue() : 0,
                timeout(options));
    }

    private static long timeout(Map<String, Object> options) {
        Object t = options.get("timeout");
        return t instanceof Number n ? n.longValue() : DEFAULT_TIMEOUT_MS;
    }

    private static String str(Map<String, Object> options, String key) {
        Object v = options.get(key);
        return v == null ? null : v.toString();
    }

    private boolean once(String field, boolean alreadySet, SourcePos at) {
        if (alreadySet) {
            state.problem(at, field, field + " is set twice in app '" + name + "'");
            return false;
        }
        return true;
    }

    AppSpec build() {
        return new AppSpec(name, dataset, version, Optional.ofNullable(nodeName), Optional.ofNullable(cookie),
                health, pos, datasetPos != null ? datasetPos : pos, environment, preCommands,
                distPort == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(distPort));
    }
}
