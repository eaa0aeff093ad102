package com.zed.exec;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
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
 * is built from the argument array by {@link ShellQuote}. Host keys are checked strictly.
 */
public final class SshRunner implements CommandRunner {
    private final SshTarget target;
    private final int connectTimeoutMs;
    private final Timeouts timeouts;
    private final SshConnector connector = new SshConnector(this);
    private Session session;

    public SshRunner(SshTarget target) {
        this(target, 10_000);
    }

    public SshRunner(SshTarget target, int connectTimeoutMs) {
        this(target, connectTimeoutMs, Timeouts.DEFAULTS);
    }

    public SshRunner(SshTarget target, int connectTimeoutMs, Timeouts timeouts) {
        this.target = target;
        this.connectTimeoutMs = connectTimeoutMs;
        this.timeouts = java.util.Objects.requireNonNull(timeouts, "timeouts");
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

    SshTarget target() {
        return target;
    }

    int connectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** The session, connected on first use (and again after it dropped). */
    synchronized Session session() {
        if (session != null && session.isConnected()) {
            return session;
        }
        try {
            JSch jsch = new JSch();
            jsch.setKnownHosts(target.knownHosts().toString());
            if (target.identity() != null) {
                jsch.addIdentity(target.identity().toString());
            }
            Session s = jsch.getSession(target.user(), target.host(), target.port());
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setServerAliveInterval(15_000);
            s.connect(connectTimeoutMs);
            session = s;
            return s;
        } catch (JSchException e) {
            throw new SshException("cannot connect to " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Execution start(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        String line = ShellQuote.join(argv);
        try {
            ChannelExec ch = (ChannelExec) session().openChannel("exec");
            ch.setCommand(line);
            InputStream out = ch.getInputStream();
            InputStream err = ch.getErrStream();
            OutputStream in = ch.getOutputStream();
            ch.connect(connectTimeoutMs);
            return new ChannelExecution(ch, in, out, err);
        } catch (JSchException e) {
            throw new SshException("cannot open a channel to " + target + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String describe() {
        return "ssh " + target;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.disconnect();
            session = null;
        }
    }

    private record ChannelExecution(ChannelExec ch, OutputStream stdin, InputStream stdout, InputStream stderr)
            implements Execution {

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
         * SIGKILL to the remote process (sshd delivers it to the process it started: the command
         * itself when the login shell execs it, else that shell only), then the channel is closed,
         * which also ends the streams and {@link #waitFor()}.
         */
        @Override
        public void kill() {
            try {
                if (!ch.isClosed()) {
                    ch.sendSignal("KILL");
                }
            } catch (Exception ignored) {
                // best effort: the channel is torn down below either way
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

    /** The SSH layer failed (connect, auth, host key), as opposed to the remote command. */
    public static final class SshException extends RuntimeException {
        public SshException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
