package com.zed.exec;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/** An {@link Execution} killed by a {@link Watchdog} when its timeout passes. */
final class TimedExecution implements Execution {
    private final Execution inner;
    private final Watchdog dog;
    private final List<String> argv;
    private final Duration timeout;
    private final String where;

    private TimedExecution(Execution inner, List<String> argv, Duration timeout, String where) {
        this.inner = inner;
        this.argv = List.copyOf(argv);
        this.timeout = timeout;
        this.where = where;
        this.dog = Watchdog.arm(inner, timeout);
    }

    static Execution of(Execution inner, List<String> argv, Duration timeout, String where) {
        return new TimedExecution(inner, argv, timeout, where);
    }

    @Override public OutputStream stdin() { return inner.stdin(); }
    @Override public InputStream stdout() { return inner.stdout(); }
    @Override public InputStream stderr() { return inner.stderr(); }

    /** @throws CommandTimeoutException when the watchdog killed the command */
    @Override
    public int waitFor() throws InterruptedException {
        int code = inner.waitFor();
        dog.close();
        if (dog.fired()) {
            throw new CommandTimeoutException(argv, timeout, where, "", "");
        }
        return code;
    }

    @Override
    public void kill() {
        dog.close();
        inner.kill();
    }

    @Override
    public void close() {
        dog.close();
        inner.close();
    }
}
