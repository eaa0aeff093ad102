package com.zed.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/** Runs commands on this host with {@link ProcessBuilder}; connections go straight out of this host. */
public final class LocalRunner implements CommandRunner {
    private final Timeouts timeouts;

    public LocalRunner() {
        this(Timeouts.DEFAULTS);
    }

    public LocalRunner(Timeouts timeouts) {
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    @Override
    public Timeouts timeouts() {
        return timeouts;
    }

    /** Plain sockets from this host: the target is this host. */
    @Override
    public Connector connector() {
        return Connector.direct();
    }

    @Override
    public Execution start(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            // ProcessBuilder reports a missing program as "error=2, No such file or directory"
            if (String.valueOf(e.getMessage()).contains("error=2")) {
                throw new CommandNotFoundException(argv.get(0), describe(), e);
            }
            throw new UncheckedIOException("cannot start " + argv.get(0), e);
        }
        return new Execution() {
            @Override public OutputStream stdin() { return p.getOutputStream(); }
            @Override public InputStream stdout() { return p.getInputStream(); }
            @Override public InputStream stderr() { return p.getErrorStream(); }
            @Override public int waitFor() throws InterruptedException { return p.waitFor(); }
            @Override public void kill() { destroyTree(p); }
            @Override public void close() {
                if (p.isAlive()) {
                    destroyTree(p);
                }
            }
        };
    }

    /**
     * Kills the process and everything it started (listed first: once the parent is gone its
     * children are re-parented and no longer show as descendants), so no grandchild keeps running
     * or keeps the output pipes open.
     */
    private static void destroyTree(Process p) {
        List<ProcessHandle> kids = p.descendants().toList();
        p.destroyForcibly();
        kids.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String describe() {
        return "local";
    }
}
