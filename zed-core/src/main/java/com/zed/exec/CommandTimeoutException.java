package com.zed.exec;

import java.time.Duration;
import java.util.List;

/**
 * A command ran longer than its timeout and was killed (a local process destroyed with its
 * descendants; over SSH the remote process sent SIGKILL and the channel closed). Names the command
 * (argv[0] and its first arguments, cut at 120 characters: Zed never puts secrets in argv), the
 * timeout and where it ran. Whatever the command printed before it was killed is kept.
 */
public class CommandTimeoutException extends RuntimeException {
    private final List<String> argv;
    private final Duration timeout;
    private final String where;
    private final String partialStdout;
    private final String partialStderr;

    public CommandTimeoutException(List<String> argv, Duration timeout, String where,
                                   String partialStdout, String partialStderr) {
        super("command timed out after " + millis(timeout) + " and was killed: " + name(argv) + " (" + where + ")");
        this.argv = List.copyOf(argv);
        this.timeout = timeout;
        this.where = where;
        this.partialStdout = partialStdout == null ? "" : partialStdout;
        this.partialStderr = partialStderr == null ? "" : partialStderr;
    }

    public List<String> argv() {
        return argv;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Where it ran: {@code local} or {@code ssh root@host:port}. */
    public String where() {
        return where;
    }

    public String partialStdout() {
        return partialStdout;
    }

    public String partialStderr() {
        return partialStderr;
    }

    static String millis(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 && ms >= 1000 ? (ms / 1000) + " s" : ms + " ms";
    }

    /** The command as a readable line, cut short: enough to recognise it in a log. */
    static String name(List<String> argv) {
        String s = String.join(" ", argv).replaceAll("\\s+", " ");
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
