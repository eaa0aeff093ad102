package com.zed.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Runs commands given as argument arrays — never a shell string. Implementations decide
 * where the command runs (this host, or another one over SSH).
 */
public interface CommandRunner extends AutoCloseable {

    /** Starts {@code argv} and returns its live streams; the caller must drain and wait. */
    Execution start(List<String> argv);

    /** Where commands go, for messages: {@code local} or {@code ssh root@host:port}. */
    String describe();

    /** Runs {@code argv} to completion, collecting stdout and stderr as UTF-8. */
    default CommandResult run(List<String> argv) {
        return run(argv, (InputStream) null);
    }

    /** Like {@link #run(List)} with bytes fed to the command's stdin (may be null). */
    default CommandResult run(List<String> argv, byte[] input) {
        return run(argv, input == null ? null : new java.io.ByteArrayInputStream(input));
    }

    /** Like {@link #run(List)} with a stream copied to the command's stdin (may be null), e.g. a tarball. */
    default CommandResult run(List<String> argv, InputStream input) {
        long t0 = System.nanoTime();
        try (Execution ex = start(argv)) {
            Drain err = Drain.start(ex.stderr(), "stderr-pump");
            if (input != null) {
                input.transferTo(ex.stdin());
            }
            ex.stdin().close();
            byte[] out = ex.stdout().readAllBytes();
            int code = ex.waitFor();
            return new CommandResult(argv, code,
                    new String(out, StandardCharsets.UTF_8),
                    err.text(),
                    Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException e) {
            throw new UncheckedIOException("I/O error running " + argv.get(0) + " on " + describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + argv.get(0), e);
        }
    }

    @Override
    default void close() {
    }
}
