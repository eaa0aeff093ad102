package com.zed.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hops to a host: the jump hosts of its {@code ProxyJump}, first first, and the host itself last,
 * each with what its connection needs. Pure: reads the config it is given, nothing else.
 *
 * <p>As in OpenSSH: a jump host is looked up in the configuration like any host, so a jump host with a
 * {@code ProxyJump} of its own makes a chain; {@code ProxyJump a,b} reaches {@code b} through {@code a}
 * (whatever {@code b}'s own {@code ProxyJump} says) and the host through {@code b}.
 */
public final class SshRoute {
    private static final int MAX_HOPS = 10;

    private SshRoute() {
    }

    /**
     * One SSH connection of a route.
     *
     * @param label           for messages: {@code alias (user@host:port)}, or {@code user@host:port}
     * @param identities      private key files, tried in order (after the agent's keys)
     * @param agentSocket     the ssh-agent to ask for keys, or null
     * @param identitiesOnly  only the agent keys whose public half matches one of {@code identities}
     * @param knownHosts      known_hosts files (the first gets newly accepted keys)
     * @param hostKeyAlias    the name to look the key up under, or null ({@link HostKeys#lookupName})
     * @param serverAlive     keepalive interval (zero: none)
     */
    public record Hop(String label, String user, String host, int port, List<Path> identities, Path agentSocket,
                      boolean identitiesOnly, List<Path> knownHosts, String hostKeyAlias, boolean hashKnownHosts,
                      Duration serverAlive, int serverAliveCountMax, Duration connectTimeout) {

        /** The name this hop's key is looked up under in known_hosts. */
        public String keyName() {
            return hostKeyAlias != null ? hostKeyAlias : HostKeys.lookupName(host, port);
        }
    }

    /** {@code [ssh://][user@]host[:port]}, with {@code [v6]:port} for IPv6; user and port null/0 when absent. */
    public record Spec(String user, String host, int port) {
        public static Spec parse(String spec) {
            String s = spec.strip();
            if (s.startsWith("ssh://")) {
                s = s.substring("ssh://".length());
                if (s.endsWith("/")) {
                    s = s.substring(0, s.length() - 1);
                }
            }
            String user = null;
            int at = s.lastIndexOf('@');
            if (at >= 0) {
                user = s.substring(0, at);
                s = s.substring(at + 1);
            }
            int port = 0;
            String host = s;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw bad(spec);
                }
                host = s.substring(1, close);
                String rest = s.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw bad(spec);
                    }
                    port = port(rest.substring(1), spec);
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = port(s.substring(s.indexOf(':') + 1), spec);
            }
            if (host.isEmpty() || (user != null && user.isEmpty()) || !host.matches("[A-Za-z0-9._:%-]+")
                    || (user != null && !user.matches("[A-Za-z0-9._@+-]+"))) {
                throw bad(spec);
            }
            return new Spec(user, host, port);
        }

        private static int port(String p, String spec) {
            if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                throw bad(spec);
            }
            return Integer.parseInt(p);
        }

        private static IllegalArgumentException bad(String spec) {
            return new IllegalArgumentException("not an SSH host: '" + spec + "' (want an alias from the SSH config,"
                    + " or [user@]host[:port])");
        }
    }

    /**
     * The route to {@code spec} (an alias or {@code [user@]host[:port]}).
     *
     * @param env the environment ({@code SSH_AUTH_SOCK}), passed in so that specs can choose it
     */
    public static List<Hop> resolve(String spec, SshSettings settings, SshConfig config, Map<String, String> env) {
        List<Hop> out = new ArrayList<>();
        route(spec, null, settings, config, env, out, new ArrayList<>());
        return List.copyOf(out);
    }

    private static void route(String spec, List<String> jumpOverride, SshSettings settings, SshConfig config,
                              Map<String, String> env, List<Hop> out, List<String> seen) {
        if (seen.size() >= MAX_HOPS) {
            throw new IllegalArgumentException("ProxyJump goes round in circles or is too long: "
                    + String.join(" -> ", seen) + " -> " + spec);
        }
        seen.add(spec);
        Spec p = Spec.parse(spec);
        SshConfig.Host h = config.resolve(p.host(), p.user(), p.port());
        List<String> jumps = jumpOverride != null ? jumpOverride : h.proxyJump();
        if (!jumps.isEmpty()) {
            String last = jumps.get(jumps.size() - 1).strip();
            route(last, jumps.size() > 1 ? jumps.subList(0, jumps.size() - 1) : null, settings, config, env, out, seen);
        }
        out.add(hop(h, settings, env));
    }

    private static Hop hop(SshConfig.Host h, SshSettings s, Map<String, String> env) {
        Path ssh = SshSettings.sshDir();
        List<Path> ids = new ArrayList<>();
        if (s.identity() != null) {
            ids.add(s.identity());
        }
        h.identityFiles().forEach(f -> ids.add(Path.of(f)));
        if (ids.isEmpty()) {
            for (String d : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
                ids.add(ssh.resolve(d));
            }
        }
        List<Path> known = new ArrayList<>();
        if (s.knownHosts() != null) {
            known.add(s.knownHosts());
        } else if (!h.knownHostsFiles().isEmpty()) {
            h.knownHostsFiles().forEach(f -> known.add(Path.of(f)));
        } else {
            known.add(ssh.resolve("known_hosts"));
            known.add(ssh.resolve("known_hosts2"));
        }
        Path agent;
        if (s.agentSocket() != null) {
            agent = s.agentSocket().toString().equals("none") ? null : s.agentSocket();
        } else if (h.identityAgent() == null || h.identityAgent().equals("SSH_AUTH_SOCK")) {
            String sock = env.get("SSH_AUTH_SOCK");
            agent = sock == null || sock.isBlank() ? null : Path.of(sock);
        } else {
            agent = h.identityAgent().equalsIgnoreCase("none") ? null : Path.of(h.identityAgent());
        }
        Duration connect = s.connectTimeout() != null ? s.connectTimeout()
                : h.connectTimeout() != null ? h.connectTimeout() : SshSettings.DEFAULT_CONNECT;
        Duration alive = h.serverAliveInterval() != null ? h.serverAliveInterval() : SshSettings.DEFAULT_ALIVE;
        String where = h.user() + "@" + h.hostName() + ":" + h.port();
        String label = h.alias().equals(h.hostName()) ? where : h.alias() + " (" + where + ")";
        return new Hop(label, h.user(), h.hostName(), h.port(), List.copyOf(ids), agent, h.identitiesOnly(),
                List.copyOf(known), h.hostKeyAlias(), h.hashKnownHosts(), alive, h.serverAliveCountMax(), connect);
    }
}
