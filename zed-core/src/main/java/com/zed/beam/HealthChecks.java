package com.zed.beam;

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
        Duration timeout = Duration.ofMillis(spec.timeoutMillis());
        if (spec instanceof HealthCheckSpec.BeamPing) {
            return new BeamPingCheck(requireBeam(beam, "beamPing"), timeout);
        }
        if (spec instanceof HealthCheckSpec.Rpc r) {
            return new RpcCheck(requireBeam(beam, "rpc"), r.module(), r.function(), r.args(), r.expect(), timeout);
        }
        if (spec instanceof HealthCheckSpec.Http h) {
            return new HttpCheck(h.url(), h.status(), timeout);
        }
        if (spec instanceof HealthCheckSpec.Tcp t) {
            return new TcpCheck(t.host(), t.port(), timeout);
        }
        throw new IllegalArgumentException("unknown health check: " + spec);
    }

    public static List<HealthCheck> create(List<HealthCheckSpec> specs, BeamTarget beam) {
        return specs.stream().map(s -> create(s, beam)).toList();
    }

    /**
     * All checks of {@code app}. When it has BEAM checks its {@code nodeName} and {@code cookie} are
     * needed; the cookie is resolved here (from {@code env}, see {@link Secrets}), and the node is reached
     * through epmd at {@code epmdHost:epmdPort}.
     *
     * @throws com.zed.secret.SecretException when the cookie cannot be resolved
     */
    public static List<HealthCheck> forApp(AppSpec app, String epmdHost, int epmdPort, Map<String, String> env) {
        boolean needsBeam = app.health().stream()
                .anyMatch(s -> s instanceof HealthCheckSpec.BeamPing || s instanceof HealthCheckSpec.Rpc);
        BeamTarget beam = null;
        if (needsBeam) {
            String node = app.nodeName().orElseThrow(() -> new IllegalArgumentException(
                    "app '" + app.name() + "' has beamPing/rpc health checks but no nodeName"));
            Secret cookie = Secrets.resolve(app.cookie().orElseThrow(() -> new IllegalArgumentException(
                    "app '" + app.name() + "' has beamPing/rpc health checks but no cookie")), env);
            beam = new BeamTarget(node, cookie, epmdHost, epmdPort);
        }
        return create(app.health(), beam);
    }

    /** {@link #forApp(AppSpec, String, int, Map)} with this process's environment. */
    public static List<HealthCheck> forApp(AppSpec app, String epmdHost, int epmdPort) {
        return forApp(app, epmdHost, epmdPort, System.getenv());
    }

    private static BeamTarget requireBeam(BeamTarget beam, String kind) {
        return Optional.ofNullable(beam).orElseThrow(() -> new IllegalArgumentException(
                kind + " needs the app's node name and cookie"));
    }
}
