package com.zed.exec;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;

/**
 * The SSH sessions of one {@link SshRunner}: one per hop of its {@link SshRoute}, each jump host's
 * session carrying the next one's connection, the last one the runner's. Connected together, torn down
 * together (last first).
 */
final class SshSessions {
    private final List<SshRoute.Hop> route;
    private final boolean acceptNew;
    private final List<Session> open = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private int connects;

    SshSessions(List<SshRoute.Hop> route, boolean acceptNew) {
        this(route, acceptNew, List.of());
    }

    /** @param warnings what the user should know from the start (e.g. parts of the config not evaluated) */
    SshSessions(List<SshRoute.Hop> route, boolean acceptNew, List<String> warnings) {
        if (route.isEmpty()) {
            throw new IllegalArgumentException("empty SSH route");
        }
        this.route = List.copyOf(route);
        this.acceptNew = acceptNew;
        this.notices.addAll(warnings);
    }

    /** The target, for messages: its label, and the jump hosts when there are any. */
    String describe() {
        SshRoute.Hop target = route.get(route.size() - 1);
        if (route.size() == 1) {
            return target.label();
        }
        List<String> via = new ArrayList<>();
        for (SshRoute.Hop h : route.subList(0, route.size() - 1)) {
            via.add(h.label());
        }
        return target.label() + " via " + String.join(", ", via);
    }

    SshRoute.Hop target() {
        return route.get(route.size() - 1);
    }

    /** SSH connections made so far (every hop's, reconnects included). */
    synchronized int connects() {
        return connects;
    }

    /** What the user should know: parts of the config Zed did not evaluate, host keys accepted and written. */
    synchronized List<String> notices() {
        return List.copyOf(notices);
    }

    /** Connects every hop, first first; on failure, whatever was connected is closed again. */
    synchronized Session connect() {
        close();
        Session via = null;
        SshRoute.Hop viaHop = null;
        try {
            for (SshRoute.Hop hop : route) {
                via = connect(hop, via, viaHop);
                viaHop = hop;
                open.add(via);
            }
            return via;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private Session connect(SshRoute.Hop hop, Session via, SshRoute.Hop viaHop) {
        HostKeyCheck keys = new HostKeyCheck(HostKeys.load(hop.knownHosts()), hop.label(), acceptNew, hop.hashKnownHosts());
        Identities ids = identities(hop);
        Session s;
        JumpProxy proxy = null;
        int alive = (int) hop.serverAlive().toMillis();
        try {
            s = new JSch().getSession(hop.user(), hop.host(), hop.port());
            s.setHostKeyRepository(keys);
            if (hop.hostKeyAlias() != null) {
                s.setHostKeyAlias(hop.hostKeyAlias());
            }
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("prefer_known_host_key_types", "yes");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setIdentityRepository(ids);
            s.setServerAliveInterval(alive);
            s.setServerAliveCountMax(hop.serverAliveCountMax());
            if (via != null) {
                proxy = new JumpProxy(via, viaHop.label());
                s.setProxy(proxy);
            }
        } catch (JSchException e) {
            throw new SshRunner.SshException("cannot set up SSH to " + hop.label() + ": " + e.getMessage(), e);
        }
        try {
            connects++;
            s.connect((int) hop.connectTimeout().toMillis());
        } catch (JSchHostKeyException e) {
            String why = keys.refusal() != null ? keys.refusal()
                    : "host key of " + hop.label() + " refused: " + e.getMessage();
            throw new SshRunner.SshException(why, e);
        } catch (JSchException e) {
            throw new SshRunner.SshException(failure(hop, ids, e), e);
        }
        if (keys.accepted() != null) {
            notices.add(keys.accepted());
        }
        if (proxy != null) {
            proxy.readTimeout(alive);
        }
        return s;
    }

    private static String failure(SshRoute.Hop hop, Identities ids, JSchException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Auth fail") || m.contains("USERAUTH fail")) {
            return "cannot log in to " + hop.label() + " by public key: " + ids.tried()
                    + " (a passphrase-protected key must be loaded into ssh-agent)";
        }
        return "cannot connect to " + hop.label() + ": " + m;
    }

    /** The keys for one hop: the agent's (all, or with IdentitiesOnly those matching a file), then the files'. */
    static Identities identities(SshRoute.Hop hop) {
        List<Identity> files = new ArrayList<>();
        List<byte[]> wanted = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path f : hop.identities()) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try {
                JSch j = new JSch();
                j.addIdentity(f.toString());
                for (Identity id : j.getIdentityRepository().getIdentities()) {
                    if (id.getPublicKeyBlob() != null) {
                        wanted.add(id.getPublicKeyBlob());
                    }
                    if (id.isEncrypted()) {
                        skipped.add(f + " (passphrase-protected)");
                    } else {
                        files.add(id);
                    }
                }
            } catch (JSchException e) {
                skipped.add(f + " (" + e.getMessage() + ")");
            }
        }
        IdentityRepository agent = null;
        if (hop.agentSocket() != null) {
            try {
                agent = new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory(), hop.agentSocket()));
            } catch (AgentProxyException e) {
                agent = null;
            }
        }
        return new Identities(files, agent, hop.agentSocket(), hop.identitiesOnly() ? wanted : null, skipped);
    }

    /** Closes every session, the target's first. */
    synchronized void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).disconnect();
        }
        open.clear();
    }

    /**
     * Keys from files and from ssh-agent. JSch's own agent repository is not combined with files through
     * {@code JSch.addIdentity}: that would add the file's private key to the user's agent.
     */
    static final class Identities implements IdentityRepository {
        private final List<Identity> files;
        private final IdentityRepository agent;
        private final Path agentSocket;
        private final List<byte[]> only;
        private final List<String> skipped;
        private volatile int agentKeys = -1;

        Identities(List<Identity> files, IdentityRepository agent, Path agentSocket, List<byte[]> only, List<String> skipped) {
            this.files = files;
            this.agent = agent;
            this.agentSocket = agentSocket;
            this.only = only;
            this.skipped = skipped;
        }

        @Override
        public String getName() {
            return "zed";
        }

        @Override
        public int getStatus() {
            return RUNNING;
        }

        @Override
        public Vector<Identity> getIdentities() {
            Vector<Identity> out = new Vector<>();
            if (agent != null && agent.getStatus() == RUNNING) {
                Vector<Identity> fromAgent = agent.getIdentities();
                agentKeys = fromAgent.size();
                for (Identity id : fromAgent) {
                    if (only == null || only.stream().anyMatch(b -> Arrays.equals(b, id.getPublicKeyBlob()))) {
                        out.add(id);
                    }
                }
            }
            out.addAll(files);
            return out;
        }

        /** What was offered, for an authentication failure. */
        String tried() {
            List<String> parts = new ArrayList<>();
            parts.add(files.isEmpty() ? "no usable key file" : files.size() + " key file(s)");
            if (!skipped.isEmpty()) {
                parts.add("skipped " + String.join(", ", skipped));
            }
            parts.add(agentSocket == null ? "no ssh-agent (SSH_AUTH_SOCK unset)"
                    : agentKeys < 0 ? "ssh-agent at " + agentSocket + " not reachable"
                    : "ssh-agent at " + agentSocket + " with " + agentKeys + " key(s)");
            return String.join("; ", parts);
        }

        @Override
        public boolean add(byte[] identity) {
            return false; // never adds keys to the user's agent
        }

        @Override
        public boolean remove(byte[] blob) {
            return false;
        }

        @Override
        public void removeAll() {
        }
    }

    /**
     * Channel window and packet size: JSch's defaults (a 1 MiB window, 16 KiB packets) cap a bulk
     * stream ({@code zfs send}) well below what the link carries once it crosses a jump host's
     * tunnel; OpenSSH's own are 2 MiB and 32 KiB. Measured in bench/replication (docs/benchmarks.md).
     */
    static final int WINDOW = 4 * 1024 * 1024;
    static final int PACKET = 32 * 1024;

    static void tune(com.jcraft.jsch.Channel ch) throws com.jcraft.jsch.JSchException {
        ch.setLocalWindowSizeMax(WINDOW);
        ch.setLocalPacketSize(PACKET);
    }
}
