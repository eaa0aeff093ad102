package com.zed.beam;

import com.zed.exec.Connector;
import com.zed.model.AppSpec;
import com.zed.model.HealthCheckSpec;
import com.zed.secret.Secret;
import com.zed.secret.Secrets;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds runnable checks from the model's {@link HealthCheckSpec}s. */
public final class HealthChecks {

    private HealthChecks() {
    }

    /**
     * One check. {@code beam} is needed for {@code beamPing} and {@code rpc} and ignored by
     * {@code http}/{@code tcp}; null is fine for an app without Erlang checks.
     *
     * @throws IllegalArgumentException for a BEAM check without {@code beam}, a bad url, port or timeout,
     *                                  or rpc term text that does not parse
     */
    public static HealthCheck create(HealthCheckSpec spec, BeamTarget beam) {
        return create(spec, beam, beam == null ? Connector.direct() : beam.connector());
    }

    /**
     * One check whose connections go through {@code connector} (http, tcp; the Erlang checks use
     * {@code beam}'s connector).
     */
    public static HealthCheck create(HealthCheckSpec spec, BeamTarget beam, Connector connector) {
        Duration timeout = Duration.ofMillis(spec.timeoutMillis());
        if (spec instanceof HealthCheckSpec.BeamPing) {
            return new BeamPingCheck(requireBeam(beam, "beamPing"), timeout);
        }
        if (spec instanceof HealthCheckSpec.Rpc r) {
            return new RpcCheck(requireBeam(beam, "rpc"), r.module(), r.function(), r.args(), r.expect(), timeout);
        }
        if (spec instanceof HealthCheckSpec.Http h) {
            return new HttpCheck(h.url(), h.status(), timeout, connector);
        }
        if (spec instanceof HealthCheckSpec.Tcp t) {
            return new TcpCheck(t.host(), t.port(), timeout, connector);
        }
        throw new IllegalArgumentException("unknown health check: " + spec);
    }

    public static List<HealthCheck> create(List<HealthCheckSpec> specs, BeamTarget beam) {
        return specs.stream().map(s -> create(s, beam)).toList();
    }

    public static List<HealthCheck> create(List<HealthCheckSpec> specs, BeamTarget beam, Connector connector) {
        return specs.stream().map(s -> create(s, beam, connector)).toList();
    }

    /**
     * All checks of {@code app}, run from the target's side: every connection (http, tcp, epmd, the
     * node's distribution port) is opened through {@code connector}, so {@code 127.0.0.1} in the
     * script is the target's loopback. Use {@code runner.connector()} of the target's
     * {@link com.zed.exec.CommandRunner}. epmd is asked at the host part of the app's {@code nodeName}
     * on port 4369, as another Erlang node on that machine would.
     *
     * @throws com.zed.secret.SecretException when the cookie cannot be resolved
     */
    public static List<HealthCheck> forApp(AppSpec app, Connector connector, Map<String, String> env) {
        return forApp(app, connector, BeamTarget.DEFAULT_EPMD_PORT, env);
    }

    /** {@link #forApp(AppSpec, Connector, Map)} with epmd on another port of the target. */
    public static List<HealthCheck> forApp(AppSpec app, Connector connector, int epmdPort, Map<String, String> env) {
        BeamTarget beam = beamTarget(app, env, node -> BeamTarget.via(connector, node.node, node.cookie, epmdPort));
        return create(app.health(), beam, connector);
    }

    private record NodeAndCookie(String node, Secret cookie) { }

    private static BeamTarget beamTarget(AppSpec app, Map<String, String> env,
                                         java.util.function.Function<NodeAndCookie, BeamTarget> make) {
        boolean needsBeam = app.health().stream()
                .anyMatch(s -> s instanceof HealthCheckSpec.BeamPing || s instanceof HealthCheckSpec.Rpc);
        if (!needsBeam) {
            return null;
        }
        String node = app.nodeName().orElseThrow(() -> new IllegalArgumentException(
                "app '" + app.name() + "' has beamPing/rpc health checks but no nodeName"));
        Secret cookie = Secrets.resolve(app.cookie().orElseThrow(() -> new IllegalArgumentException(
                "app '" + app.name() + "' has beamPing/rpc health checks but no cookie")), env);
        return make.apply(new NodeAndCookie(node, cookie));
    }

    /**
     * All checks of {@code app}, connecting <em>from this host</em>, with epmd at
     * {@code epmdHost:epmdPort}.
     *
     * @deprecated checks from the machine running Zed see its loopback, not the target's; use
     *             {@link #forApp(AppSpec, Connector, Map)} with the target runner's connector
     */
    @Deprecated
    public static List<HealthCheck> forApp(AppSpec app, String epmdHost, int epmdPort, Map<String, String> env) {
        BeamTarget beam = beamTarget(app, env, n -> new BeamTarget(n.node, n.cookie, epmdHost, epmdPort));
        return create(app.health(), beam, Connector.direct());
    }

    /**
     * {@link #forApp(AppSpec, String, int, Map)} with this process's environment.
     *
     * @deprecated see {@link #forApp(AppSpec, String, int, Map)}
     */
    @Deprecated
    public static List<HealthCheck> forApp(AppSpec app, String epmdHost, int epmdPort) {
        return forApp(app, epmdHost, epmdPort, System.getenv());
    }

    private static BeamTarget requireBeam(BeamTarget beam, String kind) {
        return Optional.ofNullable(beam).orElseThrow(() -> new IllegalArgumentException(
                kind + " needs the app's node name and cookie"));
    }
}
