package com.zed.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OpenSSH client configuration ({@code ~/.ssh/config}, {@code ssh_config(5)}), the part Zed uses.
 *
 * <p>Read like OpenSSH reads it: {@code Keyword value} or {@code Keyword=value}, keywords in any case,
 * values in double quotes when they hold spaces; {@code Host} blocks with patterns ({@code *}, {@code ?},
 * {@code !negation}) matched against the name the user gave; {@code Match all}; {@code Include} (globs
 * in the file name, relative paths under {@code ~/.ssh}), inline where it stands. For each keyword the
 * <em>first</em> value that applies wins, except {@code IdentityFile}, whose values add up.
 *
 * <p>JSch has its own {@code OpenSSHConfig}; it is not used because it knows no {@code ProxyJump},
 * {@code Include} or {@code Match} (lines after a {@code Match} land in the block before it), and it
 * reads {@code Key = value} (spaces around {@code =}) as the value {@code "= value"}.
 *
 * <p>Other {@code Match} criteria ({@code host}, {@code exec}, ...) are not evaluated: such a block
 * never applies, and {@link #warnings()} says so. {@code ProxyCommand} is refused when a host uses it.
 */
public final class SshConfig {
    /** Keywords whose values accumulate instead of first-wins. */
    private static final java.util.Set<String> MULTI = java.util.Set.of("identityfile", "certificatefile");

    private final List<Line> lines;
    private final List<String> warnings;
    private final Path source;

    private record Line(List<String> condition, boolean match, String keyword, List<String> args, String where) {
    }

    private SshConfig(List<Line> lines, List<String> warnings, Path source) {
        this.lines = List.copyOf(lines);
        this.warnings = List.copyOf(warnings);
        this.source = source;
    }

    /** No configuration: every host is taken literally. */
    public static SshConfig empty() {
        return new SshConfig(List.of(), List.of(), null);
    }

    /** Reads {@code file}; a relative {@code Include} is resolved under {@code sshDir} (normally {@code ~/.ssh}). */
    public static SshConfig load(Path file, Path sshDir) {
        List<Line> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        read(file, sshDir, null, false, out, warnings, 0);
        return new SshConfig(out, warnings, file);
    }

    /** Parses configuration text (for specs and tools); {@code Include} is resolved under {@code sshDir}. */
    public static SshConfig parse(String text, Path sshDir) {
        List<Line> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        parseText(text, "config", sshDir, null, false, out, warnings, 0);
        return new SshConfig(out, warnings, null);
    }

    /** Things in the file Zed does not evaluate (e.g. a {@code Match exec} block), one sentence each. */
    public List<String> warnings() {
        return warnings;
    }

    /** The file read, or null. */
    public Path source() {
        return source;
    }

    private static void read(Path file, Path sshDir, List<String> cond, boolean match, List<Line> out,
                             List<String> warnings, int depth) {
        try {
            parseText(Files.readString(file), file.toString(), sshDir, cond, match, out, warnings, depth);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SSH config " + file + ": " + e.getMessage(), e);
        }
    }

    private static void parseText(String text, String name, Path sshDir, List<String> cond0, boolean match0,
                                  List<Line> out, List<String> warnings, int depth) {
        if (depth > 16) {
            throw new IllegalArgumentException("SSH config: Include nested too deeply at " + name);
        }
        List<String> cond = cond0;
        boolean match = match0;
        String[] rows = text.split("\r?\n", -1);
        for (int i = 0; i < rows.length; i++) {
            String where = name + ":" + (i + 1);
            String row = rows[i].strip();
            if (row.isEmpty() || row.startsWith("#")) {
                continue;
            }
            int k = 0;
            while (k < row.length() && !Character.isWhitespace(row.charAt(k)) && row.charAt(k) != '=') {
                k++;
            }
            String keyword = row.substring(0, k).toLowerCase(Locale.ROOT);
            String rest = row.substring(k).stripLeading();
            if (rest.startsWith("=")) {
                rest = rest.substring(1).stripLeading();
            }
            List<String> args = words(rest, where);
            if (args.isEmpty()) {
                throw new IllegalArgumentException("SSH config " + where + ": '" + keyword + "' has no value");
            }
            switch (keyword) {
                case "host" -> {
                    cond = args;
                    match = false;
                }
                case "match" -> {
                    if (args.size() == 1 && args.get(0).equalsIgnoreCase("all")) {
                        cond = null;
                    } else {
                        warnings.add(where + ": 'Match " + String.join(" ", args)
                                + "' is not evaluated by Zed; that block is ignored");
                        cond = List.of();
                    }
                    match = true;
                }
                case "include" -> {
                    for (String pattern : args) {
                        for (Path f : glob(expandTilde(pattern), sshDir)) {
                            read(f, sshDir, cond, match, out, warnings, depth + 1);
                        }
                    }
                }
                default -> out.add(new Line(cond, match, keyword, args, where));
            }
        }
    }

    /** Splits a value into words: whitespace separates, double quotes group. */
    static List<String> words(String s, String where) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                if (w == null) {
                    w = new StringBuilder();
                }
            } else if (!quoted && Character.isWhitespace(c)) {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
            } else {
                if (w == null) {
                    w = new StringBuilder();
                }
                w.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("SSH config " + where + ": unbalanced double quote");
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }

    private static List<Path> glob(String pattern, Path sshDir) {
        Path p = Path.of(pattern);
        if (!p.isAbsolute()) {
            p = sshDir.resolve(p);
        }
        String leaf = p.getFileName().toString();
        if (!leaf.contains("*") && !leaf.contains("?")) {
            return Files.isRegularFile(p) ? List.of(p) : List.of();
        }
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(p.getParent())) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p.getParent(), leaf)) {
                ds.forEach(f -> {
                    if (Files.isRegularFile(f)) {
                        out.add(f);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        out.sort(null);
        return out;
    }

    private static String expandTilde(String s) {
        if (s.equals("~") || s.startsWith("~/")) {
            return System.getProperty("user.home") + s.substring(1);
        }
        return s;
    }

    /**
     * Does {@code host} match a {@code Host} pattern list? A negated pattern that matches rules the
     * block out; otherwise any positive match rules it in. Case-insensitive, like OpenSSH.
     */
    static boolean matches(List<String> patterns, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        boolean yes = false;
        for (String p : patterns) {
            boolean neg = p.startsWith("!");
            String pat = (neg ? p.substring(1) : p).toLowerCase(Locale.ROOT);
            for (String alt : pat.split(",")) {
                if (glob(alt, 0, h, 0)) {
                    if (neg) {
                        return false;
                    }
                    yes = true;
                }
            }
        }
        return yes;
    }

    private static boolean glob(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = si; k <= s.length(); k++) {
                    if (glob(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || (c != '?' && c != s.charAt(si))) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }

    /** Every keyword that applies to {@code host} (lower case) with its values, first value first. */
    Map<String, List<List<String>>> options(String host) {
        Map<String, List<List<String>>> out = new TreeMap<>();
        for (Line l : lines) {
            if (l.condition() == null || (!l.match() && matches(l.condition(), host))) {
                out.computeIfAbsent(l.keyword(), k -> new ArrayList<>()).add(l.args());
            }
        }
        return out;
    }

    /**
     * What this configuration says about {@code host} (an alias or a host name, as given), for a
     * connection as {@code user} on {@code port} when those were given (null / 0: from the config, else
     * the local user name and 22).
     */
    public Host resolve(String host, String user, int port) {
        Map<String, List<List<String>>> o = options(host);
        String hostName = first(o, "hostname");
        hostName = hostName == null ? host : percent(hostName, host, host, null, 0);
        String u = user != null ? user : first(o, "user");
        if (u == null) {
            u = System.getProperty("user.name");
        }
        int p = port > 0 ? port : intValue(o, "port", 22);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("SSH config: Port of " + host + " out of range: " + p);
        }
        String proxyCommand = first(o, "proxycommand");
        if (proxyCommand != null && !proxyCommand.equalsIgnoreCase("none")) {
            throw new IllegalArgumentException("SSH config: " + host + " uses ProxyCommand, which Zed does not run;"
                    + " use ProxyJump instead");
        }
        List<String> identities = new ArrayList<>();
        for (List<String> args : o.getOrDefault("identityfile", List.of())) {
            for (String a : args) {
                if (!a.equalsIgnoreCase("none")) {
                    identities.add(percent(a, hostName, host, u, p));
                }
            }
        }
        List<String> known = new ArrayList<>();
        List<List<String>> kh = o.get("userknownhostsfile");
        if (kh != null) {
            for (String a : kh.get(0)) {
                if (!a.equalsIgnoreCase("none")) {
                    known.add(percent(a, hostName, host, u, p));
                }
            }
        }
        String jump = first(o, "proxyjump");
        List<String> jumps = jump == null || jump.equalsIgnoreCase("none") ? List.of() : List.of(jump.split(","));
        String agent = first(o, "identityagent");
        if (agent != null && !agent.equalsIgnoreCase("none") && !agent.equals("SSH_AUTH_SOCK")) {
            agent = agent.startsWith("$") ? Objects.requireNonNullElse(System.getenv(agent.substring(1)), "none")
                    : percent(agent, hostName, host, u, p);
        }
        String alive = first(o, "serveraliveinterval");
        String timeout = first(o, "connecttimeout");
        return new Host(host, hostName, u, p, List.copyOf(identities), yes(o, "identitiesonly"), agent,
                List.copyOf(known), first(o, "hostkeyalias"), yes(o, "hashknownhosts"), jumps,
                alive == null ? null : Duration.ofSeconds(seconds(alive, "ServerAliveInterval")),
                intValue(o, "serveralivecountmax", 3),
                timeout == null ? null : Duration.ofSeconds(seconds(timeout, "ConnectTimeout")));
    }

    /**
     * One host as the configuration describes it.
     *
     * @param alias               the name as given (what {@code Host} patterns were matched against)
     * @param hostName            where to connect ({@code HostName}, else the alias)
     * @param identityFiles       {@code IdentityFile}s, tokens and {@code ~} expanded, in order
     * @param identityAgent       {@code IdentityAgent}: null (not set: {@code SSH_AUTH_SOCK}), {@code none},
     *                            {@code SSH_AUTH_SOCK}, or a socket path
     * @param knownHostsFiles     {@code UserKnownHostsFile}s (empty: not set)
     * @param proxyJump           {@code ProxyJump} hops, first first (empty: direct)
     * @param serverAliveInterval null when not set
     * @param connectTimeout      null when not set
     */
    public record Host(String alias, String hostName, String user, int port, List<String> identityFiles,
                       boolean identitiesOnly, String identityAgent, List<String> knownHostsFiles,
                       String hostKeyAlias, boolean hashKnownHosts, List<String> proxyJump,
                       Duration serverAliveInterval, int serverAliveCountMax, Duration connectTimeout) {
    }

    private static String first(Map<String, List<List<String>>> o, String key) {
        List<List<String>> v = o.get(key);
        return v == null ? null : String.join(" ", v.get(0));
    }

    private static boolean yes(Map<String, List<List<String>>> o, String key) {
        String v = first(o, key);
        return v != null && v.equalsIgnoreCase("yes");
    }

    private static int intValue(Map<String, List<List<String>>> o, String key, int dflt) {
        String v = first(o, key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SSH config: " + key + " must be a number, not '" + v + "'");
        }
    }

    /** OpenSSH time values: plain seconds, or with units (30s, 5m, 1h, 1m30s). */
    static long seconds(String v, String key) {
        var m = java.util.regex.Pattern.compile("(\\d+)([smhSMH]?)").matcher(v);
        long total = 0;
        int at = 0;
        while (at < v.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "m" -> n * 60;
                case "h" -> n * 3600;
                default -> n;
            };
            at = m.end();
        }
        if (at != v.length() || v.isEmpty()) {
            throw new IllegalArgumentException("SSH config: " + key + " must be a time (e.g. 30 or 1m), not '" + v + "'");
        }
        return total;
    }

    /** Expands {@code ~} and the tokens {@code %h %n %r %p %u %d %%}. */
    static String percent(String s, String hostName, String alias, String user, int port) {
        String home = System.getProperty("user.home");
        if (s.equals("~") || s.startsWith("~/")) {
            s = home + s.substring(1);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char t = s.charAt(++i);
            switch (t) {
                case '%' -> b.append('%');
                case 'h' -> b.append(hostName);
                case 'n' -> b.append(alias);
                case 'r' -> b.append(user == null ? "%r" : user);
                case 'p' -> b.append(port == 0 ? "%p" : String.valueOf(port));
                case 'u' -> b.append(System.getProperty("user.name"));
                case 'd' -> b.append(home);
                default -> throw new IllegalArgumentException("SSH config: unknown token %" + t + " in '" + s + "'");
            }
        }
        return b.toString();
    }
}
