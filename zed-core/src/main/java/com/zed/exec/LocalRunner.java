package com.zed.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Runs commands on this host with {@link ProcessBuilder}. */
public final class LocalRunner implements CommandRunner {

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
            @Override public void kill() { p.destroyForcibly(); }
            @Override public void close() {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        };
    }

    @Override
    public String describe() {
        return "local";
    }
}
