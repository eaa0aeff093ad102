package com.zed.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs commands given as argument arrays — never a shell string. Implementations decide
 * where the command runs (this host, or another one over SSH).
 *
 * <p>Every command is bounded: the {@code run} overloads without a timeout use
 * {@link Timeouts#fallback()} of {@link #timeouts()}; the others take a {@link Timeouts.Kind} or an
 * explicit {@link Duration}. A command that runs past its timeout is killed and reported as a
 * {@link CommandTimeoutException}.
 */
public interface CommandRunner extends AutoCloseable {

    /**
     * Starts {@code argv} and returns its live streams; the caller must drain and wait. Unbounded:
     * prefer {@link #start(List, Duration)}.
     */
    Execution start(List<String> argv);

    /**
     * Starts {@code argv}, to be killed when {@code timeout} passes (for streaming, e.g.
     * {@code zfs send | zfs receive}); its {@link Execution#waitFor()} then throws
     * {@link CommandTimeoutException}.
     */
    default Execution start(List<String> argv, Duration timeout) {
        return TimedExecution.of(start(argv), argv, timeout, describe());
    }

    /** Where commands go, for messages: {@code local} or {@code ssh root@host:port}. */
    String describe();

    /** The default timeout of each kind of command run by this runner. */
    default Timeouts timeouts() {
        return Timeouts.DEFAULTS;
    }

    /**
     * Opens TCP connections from where this runner's commands run: directly for this host, through
     * the SSH session for a remote one, so {@code 127.0.0.1} means the target's loopback.
     *
     * @throws UnsupportedOperationException for a runner that cannot (e.g. a test double)
     */
    default Connector connector() {
        throw new UnsupportedOperationException(describe() + " cannot open connections");
    }

    /** Runs {@code argv} to completion, collecting stdout and stderr as UTF-8, within the default timeout. */
    default CommandResult run(List<String> argv) {
        return run(argv, (InputStream) null);
    }

    /** Like {@link #run(List)} within the timeout of {@code kind}. */
    default CommandResult run(List<String> argv, Timeouts.Kind kind) {
        return run(argv, null, timeouts().of(kind));
    }

    /** Like {@link #run(List)} with bytes fed to the command's stdin (may be null). */
    default CommandResult run(List<String> argv, byte[] input) {
        return run(argv, input == null ? null : new java.io.ByteArrayInputStream(input));
    }

    /** Like {@link #run(List)} with a stream copied to the command's stdin (may be null), e.g. a tarball. */
    default CommandResult run(List<String> argv, InputStream input) {
        return run(argv, input, timeouts().fallback());
    }

    /** Like {@link #run(List, InputStream)} within the timeout of {@code kind}. */
    default CommandResult run(List<String> argv, InputStream input, Timeouts.Kind kind) {
        return run(argv, input, timeouts().of(kind));
    }

    /**
     * Runs {@code argv} with {@code input} (may be null) on its stdin, and kills it when
     * {@code timeout} passes: the local process and its descendants are destroyed; over SSH the remote
     * process is sent SIGKILL (where the server supports signals) and the channel is closed.
     *
     * @throws CommandTimeoutException when the command ran past {@code timeout}
     */
    default CommandResult run(List<String> argv, InputStream input, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a command timeout must be positive, got " + timeout);
        }
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        Execution ex = start(argv);
        try (ex; Watchdog dog = Watchdog.arm(ex, timeout)) {
            Drain out = Drain.start(ex.stdout(), "stdout-pump");
            Drain err = Drain.start(ex.stderr(), "stderr-pump");
            try {
                if (input != null) {
                    input.transferTo(ex.stdin());
                }
                ex.stdin().close();
            } catch (IOException e) {
                if (!dog.fired()) {
                    throw e;
                }
            }
            int code = ex.waitFor();
            // The process has ended; its streams end with it unless a descendant still holds them.
            boolean drained = out.await(deadline - System.nanoTime()) && err.await(deadline - System.nanoTime());
            dog.close();
            if (dog.fired() || !drained) {
                ex.kill();
                throw new CommandTimeoutException(argv, timeout, describe(), out.textSoFar(), err.textSoFar());
            }
            return new CommandResult(argv, code, out.text(), err.text(), Duration.ofNanos(System.nanoTime() - t0));
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
