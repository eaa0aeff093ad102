package com.zed.exec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds the one command line SSH hands to the remote login shell from an argument array.
 * Each argument is single-quoted (POSIX: nothing inside single quotes is special), with an
 * embedded quote written as {@code '\''}. NUL cannot be passed through any shell and is refused,
 * as are newlines, which csh (FreeBSD's traditional root shell) rejects inside quotes.
 */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String arg) {
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == 0 || c == '\n' || c == '\r') {
                throw new IllegalArgumentException(
                        "argument contains a NUL or newline and cannot be sent to a remote shell: " + visible(arg));
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
