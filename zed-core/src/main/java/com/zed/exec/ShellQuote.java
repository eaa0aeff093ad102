package com.zed.exec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds the one command line SSH hands to the remote login shell from an argument array.
 * Each argument is single-quoted (POSIX: nothing inside single quotes is special), with an
 * embedded quote written as {@code '\''}.
 *
 * <p>NUL cannot be passed through any shell (nor in an exec argument) and is refused.
 *
 * <p>Newlines and carriage returns are allowed: inside single quotes a POSIX shell takes them
 * literally (XCU 2.2.2), and the login shells that run our remote command lines are all POSIX ones:
 * bash or dash on Linux, {@code sh} for root on FreeBSD 14 and later (root's shell there was csh
 * before 14.0, and csh refuses a newline inside quotes: "Unmatched '"), ksh93 or bash on illumos.
 * A target whose root shell is csh/tcsh is not supported. Proven byte for byte against sh, bash and
 * dash here and against the lab's sshd ({@code ShellQuoteSpec}, {@code SshQuotingLiveSpec}).
 */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String arg) {
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException(
                        "argument contains a NUL byte, which no command argument can carry: " + visible(arg));
            }
        }
        if (!arg.isEmpty() && arg.chars().allMatch(ShellQuote::plain)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    // Characters no POSIX shell treats specially, so the word can go bare (readable logs).
    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '@' || c == '%' || c == '+'
                || c == ',';
    }

    private static String visible(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0");
    }
}
