package com.zed.exec;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Runs commands on another host over one reused SSH session, a channel per command
 * (a fresh connection per command costs ~1 s; a channel ~0.1 s). The remote command line
 * is built from the argument array by {@link ShellQuote} (see {@link #commandLine}). Host keys are
 * checked strictly.
 *
 * <p>{@link #connect(String, SshSettings)} reaches a host the way {@code ssh} would, from the OpenSSH
 * client config (aliases, keys, ssh-agent, {@code ProxyJump} chains, keepalive): see docs/ssh.md.
 * {@link #SshRunner(SshTarget)} takes the host's parts, one key and one known_hosts (the lab).
 */
public final class SshRunner implements CommandRunner {
    private final SshSessions sessions;
    private final Timeouts timeouts;
    private final SshConnector connector = new SshConnector(this);
    private final int channelTimeoutMs;
    private Session session;

    public SshRunner(SshTarget target) {
        this(target, 10_000);
    }

    public SshRunner(SshTarget target, int connectTimeoutMs) {
        this(target, connectTimeoutMs, Timeouts.DEFAULTS);
    }

    /** A host given by its parts, with exactly this key and known_hosts (no config, no agent): the lab, specs. */
    public SshRunner(SshTarget target, int connectTimeoutMs, Timeouts timeouts) {
        this(new SshSessions(List.of(new SshRoute.Hop(target.toString(), target.user(), target.host(), target.port(),
                target.identity() == null ? List.of() : List.of(target.identity()), null, false,
                List.of(target.knownHosts()), null, false, SshSettings.DEFAULT_ALIVE, 3,
                java.time.Duration.ofMillis(connectTimeoutMs))), false), timeouts);
    }

    private SshRunner(SshSessions sessions, Timeouts timeouts) {
        this.sessions = sessions;
        this.timeouts = java.util.Objects.requireNonNull(timeouts, "timeouts");
        this.channelTimeoutMs = (int) Math.min(Integer.MAX_VALUE, sessions.target().connectTimeout().toMillis());
    }

    /**
     * Connects to {@code spec}, an alias from the SSH config or {@code [user@]host[:port]}, the way
     * {@code ssh} would with the same configuration: {@code HostName}, {@code User}, {@code Port},
     * {@code IdentityFile}s and ssh-agent keys, {@code ProxyJump} chains, keepalive, connect timeout, and
     * strict host-key checking against known_hosts (see {@link SshSettings}). Connects now, so that a
     * refused host key or login fails here, as an {@link SshException} that says why; afterwards the
     * runner reconnects by itself when the connection drops.
     */
    public static SshRunner connect(String spec, SshSettings settings) {
        SshConfig config = settings.readConfig();
        List<SshRoute.Hop> route = SshRoute.resolve(spec, settings, config, System.getenv());
        SshRunner r = new SshRunner(new SshSessions(route, settings.acceptNewHostKeys(), config.warnings()),
                settings.timeouts());
        r.session();
        return r;
    }

    @Override
    public Timeouts timeouts() {
        return timeouts;
    }

    /**
     * Connections opened by the target's sshd ({@code direct-tcpip} channels on this runner's session):
     * {@code 127.0.0.1} is the target's loopback, and nothing but SSH has to be reachable from here.
     */
    @Override
    public Connector connector() {
        return connector;
    }

    /** The target and its jump hosts, for messages. */
    String where() {
        return sessions.describe();
    }

    /** SSH connections (handshakes) this runner has made, jump hosts' included: one route's worth unless one dropped. */
    public int connections() {
        return sessions.connects();
    }

    /**
     * Things the user should be told: a new host key accepted and written to known_hosts, a part of the
     * SSH config Zed does not evaluate (e.g. {@code Match exec}).
     */
    public List<String> notices() {
        return sessions.notices();
    }

    /** The session, connected on first use (and again, with its jump hosts, after it dropped). */
    synchronized Session session() {
        if (session != null && session.isConnected()) {
            return session;
        }
        session = sessions.connect();
        return session;
    }

    /**
     * The remote command line: {@code sh -c 'echo $$ >&2; exec "$@"' zed ARGV...}. The command keeps
     * the shell's PID (exec), which is told first on stderr and taken off it again, so that a command
     * can be killed on the target: OpenSSH ignores signal requests for root sessions ("session
     * signalling requires privilege separation"), and closing a channel without a pty leaves the
     * process running.
     */
    static String commandLine(List<String> argv) {
        return "sh -c " + ShellQuote.quote("echo $$ >&2; exec \"$@\"") + " zed " + ShellQuote.join(argv);
    }

    @Override
    public Execution start(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        String line = commandLine(argv);
        try {
            ChannelExec ch = (ChannelExec) session().openChannel("exec");
            ch.setCommand(line);
            SshSessions.tune(ch);
            InputStream out = ch.getInputStream();
            PidStream err = new PidStream(ch.getErrStream());
            OutputStream in = ch.getOutputStream();
            ch.connect(channelTimeoutMs);
            return new ChannelExecution(this, ch, in, out, err);
        } catch (JSchException e) {
            throw new SshException("cannot open a channel to " + where() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the remote process group (and the process itself, should it lead none), on a new channel. */
    private void killRemote(long pid) {
        Thread t = new Thread(() -> {
            try {
                run(List.of("kill", "-KILL", "--", "-" + pid, String.valueOf(pid)), null, java.time.Duration.ofSeconds(10));
            } catch (RuntimeException ignored) {
                // best effort: the session may be gone, and then so is our way to the process
            }
        }, "zed-remote-kill");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public String describe() {
        return "ssh " + where();
    }

    @Override
    public synchronized void close() {
        sessions.close();
        session = null;
    }

    private record ChannelExecution(SshRunner runner, ChannelExec ch, OutputStream stdin, InputStream stdout,
                                    PidStream stderr) implements Execution {

        @Override
        public int waitFor() throws InterruptedException {
            // The exit status arrives after EOF on the channel; JSch has no blocking wait for it.
            long sleep = 1;
            while (!ch.isClosed()) {
                Thread.sleep(sleep);
                sleep = Math.min(sleep * 2, 20);
            }
            int code = ch.getExitStatus();
            ch.disconnect();
            return code;
        }

        /**
         * SIGKILL to the remote process group, by PID on a second channel (and as a signal request,
         * which sshd honours for non-root users), then the channel is closed, which also ends the
         * streams and {@link #waitFor()}.
         */
        @Override
        public void kill() {
            if (!ch.isClosed()) {
                long pid = stderr.pid();
                if (pid > 0) {
                    runner.killRemote(pid);
                }
                try {
                    ch.sendSignal("KILL");
                } catch (Exception ignored) {
                    // best effort: the channel is torn down below either way
                }
            }
            ch.disconnect();
        }

        @Override
        public void close() {
            if (!ch.isClosed()) {
                kill();
            } else {
                ch.disconnect();
            }
        }
    }

    /**
     * The remote stderr with its first line, the PID that {@link #commandLine} prints, taken off (a
     * first line that is not a number is passed on unchanged).
     */
    static final class PidStream extends java.io.FilterInputStream {
        private volatile long pid;
        private byte[] pending;
        private int pos;
        private boolean parsed;

        PidStream(InputStream in) {
            super(in);
        }

        long pid() {
            return pid;
        }

        private void parse() throws IOException {
            if (parsed) {
                return;
            }
            parsed = true;
            var line = new java.io.ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n' && line.size() < 32) {
                line.write(b);
            }
            String s = line.toString(java.nio.charset.StandardCharsets.US_ASCII);
            if (b == '\n' && s.matches("[0-9]{1,18}")) {
                pid = Long.parseLong(s);
            } else {
                if (b >= 0) {
                    line.write(b);
                }
                pending = line.toByteArray();
            }
        }

        @Override
        public synchronized int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            parse();
            if (pending != null && pos < pending.length) {
                int n = Math.min(len, pending.length - pos);
                System.arraycopy(pending, pos, b, off, n);
                pos += n;
                return n;
            }
            return in.read(b, off, len);
        }

        @Override
        public synchronized int available() throws IOException {
            return parsed ? (pending == null ? 0 : pending.length - pos) + in.available() : 0;
        }
    }

    /** The SSH layer failed (connect, auth, host key), as opposed to the remote command. */
    public static final class SshException extends RuntimeException {
        public SshException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
