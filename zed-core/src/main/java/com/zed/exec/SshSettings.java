package com.zed.exec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How Zed reaches hosts over SSH, for {@link SshRunner#connect(String, SshSettings)}: the OpenSSH
 * client configuration to read and what overrides it, like {@code ssh}'s command-line options
 * override {@code ~/.ssh/config}.
 *
 * @param config            the OpenSSH client config file ({@code ssh -F}); null: none
 * @param knownHosts        the known_hosts file for every host ({@code -o UserKnownHostsFile=}); null: each
 *                          host's {@code UserKnownHostsFile} from the config, else {@code ~/.ssh/known_hosts}
 *                          (and {@code known_hosts2})
 * @param identity          a private key tried before the config's {@code IdentityFile}s ({@code ssh -i});
 *                          null: the config's, else {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa}
 *                          where they exist
 * @param acceptNewHostKeys accept a host whose key is not in known_hosts yet, and write it there
 *                          ({@code StrictHostKeyChecking=accept-new}); a changed key is refused regardless
 * @param agentSocket       the ssh-agent socket; {@code none}: no agent; null: {@code IdentityAgent} from
 *                          the config, else {@code $SSH_AUTH_SOCK} (no agent when neither is set)
 * @param connectTimeout    connecting and authenticating, per hop; null: {@code ConnectTimeout} from the
 *                          config, else 10 s
 * @param timeouts          the commands' timeouts
 */
public record SshSettings(Path config, Path knownHosts, Path identity, boolean acceptNewHostKeys,
                          Path agentSocket, Duration connectTimeout, Timeouts timeouts) {

    /** Without keepalive in the config, a session still sends one every 15 s (OpenSSH's default is none). */
    static final Duration DEFAULT_ALIVE = Duration.ofSeconds(15);
    static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);

    public SshSettings {
        if (timeouts == null) {
            timeouts = Timeouts.DEFAULTS;
        }
        if (connectTimeout != null && (connectTimeout.isNegative() || connectTimeout.isZero())) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
    }

    public SshSettings(Path config, Path knownHosts, Path identity, boolean acceptNewHostKeys) {
        this(config, knownHosts, identity, acceptNewHostKeys, null, null, Timeouts.DEFAULTS);
    }

    /** The user's own: {@code ~/.ssh/config} when it exists, the config's or the default known_hosts and keys, the agent. */
    public static SshSettings defaults() {
        Path config = sshDir().resolve("config");
        return new SshSettings(Files.isRegularFile(config) ? config : null, null, null, false);
    }

    /** {@code ~/.ssh}. */
    public static Path sshDir() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }

    public SshSettings withConfig(Path file) {
        return new SshSettings(file, knownHosts, identity, acceptNewHostKeys, agentSocket, connectTimeout, timeouts);
    }

    public SshSettings withKnownHosts(Path file) {
        return new SshSettings(config, file, identity, acceptNewHostKeys, agentSocket, connectTimeout, timeouts);
    }

    public SshSettings withIdentity(Path file) {
        return new SshSettings(config, knownHosts, file, acceptNewHostKeys, agentSocket, connectTimeout, timeouts);
    }

    public SshSettings acceptingNewHostKeys(boolean accept) {
        return new SshSettings(config, knownHosts, identity, accept, agentSocket, connectTimeout, timeouts);
    }

    /** No ssh-agent, whatever the config and the environment say. */
    public static final Path NO_AGENT = Path.of("none");

    public SshSettings withAgentSocket(Path socket) {
        return new SshSettings(config, knownHosts, identity, acceptNewHostKeys, socket, connectTimeout, timeouts);
    }

    public SshSettings withConnectTimeout(Duration t) {
        return new SshSettings(config, knownHosts, identity, acceptNewHostKeys, agentSocket, t, timeouts);
    }

    public SshSettings withTimeouts(Timeouts t) {
        return new SshSettings(config, knownHosts, identity, acceptNewHostKeys, agentSocket, connectTimeout, t);
    }

    /** The configuration read from {@link #config()} (relative {@code Include}s under {@code ~/.ssh}). */
    SshConfig readConfig() {
        return config == null ? SshConfig.empty() : SshConfig.load(config, sshDir());
    }
}
