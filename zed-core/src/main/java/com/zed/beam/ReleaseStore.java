package com.zed.beam;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Release tarballs in a local directory, verified by SHA-256 before use.
 *
 * <p>Layout (what {@code scripts/lab.d/build-test-releases} and {@code docs/releases.md} produce):
 * <pre>
 * root/
 *   tiny/
 *     tiny-1.0.1.tar.gz          the tarball made by `mix release` (steps: [:assemble, :tar])
 *     tiny-1.0.1.tar.gz.sha256   "&lt;64 hex&gt;  tiny-1.0.1.tar.gz" (sha256sum's output)
 * </pre>
 * App and version strings are checked against the same characters as the model's names and versions
 * ({@code com.zed.model.Validator}), so neither can contain {@code /} or be {@code ..}: a version cannot name a file
 * outside the store.
 */
public final class ReleaseStore {
    /** An app name: as {@code Validator}'s names. */
    public static final Pattern APP = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    /** A version: as {@code Validator}'s versions. */
    public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    public static final String TARBALL_SUFFIX = ".tar.gz";
    public static final String CHECKSUM_SUFFIX = ".sha256";

    /** sha256sum's line: hex, then two spaces (text mode) or space + '*' (binary mode), then the file name. */
    private static final Pattern CHECKSUM_LINE = Pattern.compile("([0-9A-Fa-f]{64})(?:(?: \\*| {1,2})(\\S.*))?");
    private static final int MAX_CHECKSUM_FILE = 64 * 1024;

    private final Path root;

    public ReleaseStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** {@code <app>-<version>.tar.gz}. */
    public static String fileName(String app, String version) {
        return app + "-" + version + TARBALL_SUFFIX;
    }

    /**
     * Where the tarball of {@code app} {@code version} is (or would be); does not touch the file system.
     *
     * @throws ReleaseException ({@link ReleaseException.Reason#INVALID_NAME}) for an app or version that is not plain
     */
    public Path tarball(String app, String version) {
        checkApp(app, version);
        checkVersion(app, version);
        Path p = root.resolve(app).resolve(fileName(app, version)).normalize();
        if (!p.getParent().getParent().equals(root)) { // cannot happen with the patterns above; kept as the invariant
            throw new ReleaseException(ReleaseException.Reason.INVALID_NAME, app, version, null,
                    app + " " + version + ": resolves outside the release store " + root);
        }
        return p;
    }

    /**
     * Finds {@code app} {@code version} and verifies it: the tarball exists, its {@code .sha256} file exists and
     * parses, and the tarball's SHA-256 (computed now, reading the whole file) is the recorded one.
     *
     * @throws ReleaseException naming the app, version, path and what is wrong
     */
    public Release locate(String app, String version) {
        Path tarball = tarball(app, version);
        Path checksum = tarball.resolveSibling(tarball.getFileName() + CHECKSUM_SUFFIX);
        String what = app + " " + version;
        if (!Files.isRegularFile(tarball)) {
            String more = Files.isDirectory(root.resolve(app))
                    ? versionsHint(app)
                    : " (no directory " + root.resolve(app) + " in the release store)";
            throw new ReleaseException(ReleaseException.Reason.MISSING_TARBALL, app, version, tarball,
                    what + ": release tarball " + tarball + " does not exist" + more);
        }
        if (!Files.isRegularFile(checksum)) {
            throw new ReleaseException(ReleaseException.Reason.MISSING_CHECKSUM, app, version, checksum,
                    what + ": checksum file " + checksum + " does not exist (expected beside " + tarball.getFileName()
                            + "; make it with: sha256sum " + tarball.getFileName() + " > " + checksum.getFileName() + ")");
        }
        String expected = readChecksum(app, version, checksum, tarball.getFileName().toString());
        long size;
        String actual;
        try {
            size = Files.size(tarball);
            actual = sha256(tarball);
        } catch (IOException e) {
            throw new ReleaseException(ReleaseException.Reason.UNREADABLE, app, version, tarball,
                    what + ": cannot read " + tarball + ": " + e, e);
        }
        if (!actual.equals(expected)) {
            throw new ReleaseChecksumMismatchException(app, version, tarball, expected, actual);
        }
        return new Release(app, version, tarball, actual, size);
    }

    /**
     * The versions of {@code app} that have a tarball in the store (checksums are not verified here: that is
     * {@link #locate}'s job), oldest first by {@link #VERSION_ORDER}. Empty when the app has no directory.
     */
    public List<String> versions(String app) {
        checkApp(app, null);
        Path dir = root.resolve(app);
        var out = new ArrayList<String>();
        String prefix = app + "-";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(TARBALL_SUFFIX) && Files.isRegularFile(p)) {
                    String v = n.substring(prefix.length(), n.length() - TARBALL_SUFFIX.length());
                    if (VERSION.matcher(v).matches()) {
                        out.add(v);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ReleaseException(ReleaseException.Reason.UNREADABLE, app, null, dir,
                    app + ": cannot list " + dir + ": " + e, e);
        }
        out.sort(VERSION_ORDER);
        return List.copyOf(out);
    }

    /** The newest version of {@code app} in the store by {@link #VERSION_ORDER}, or null if there is none. */
    public String latest(String app) {
        List<String> vs = versions(app);
        return vs.isEmpty() ? null : vs.get(vs.size() - 1);
    }

    /** SHA-256 of a file, lower-case hex, read in 64 KiB blocks. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = newSha256();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Parses a checksum file in sha256sum format and returns the lower-case hex for {@code fileName}. Accepted: lines
     * {@code <hex>  <name>} or {@code <hex> *<name>} (one of them naming {@code fileName}), or a single line with the
     * hex alone. Blank lines are ignored; anything else is malformed.
     */
    static String parseChecksum(String text, String fileName) throws MalformedChecksum {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new MalformedChecksum("it is empty");
        }
        String bare = null;
        var names = new ArrayList<String>();
        for (String line : lines) {
            Matcher m = CHECKSUM_LINE.matcher(line);
            if (!m.matches()) {
                throw new MalformedChecksum("line '" + abbreviate(line)
                        + "' is not '<64 hex digits>  <file name>' (sha256sum format)");
            }
            String hex = m.group(1).toLowerCase();
            String name = m.group(2);
            if (name == null) {
                if (lines.size() > 1) {
                    throw new MalformedChecksum("a line without a file name among " + lines.size() + " lines");
                }
                bare = hex;
            } else if (name.equals(fileName) || name.endsWith("/" + fileName)) {
                return hex;
            } else {
                names.add(name);
            }
        }
        if (bare != null) {
            return bare;
        }
        throw new MalformedChecksum("it names " + String.join(", ", names) + ", not " + fileName);
    }

    static final class MalformedChecksum extends Exception {
        MalformedChecksum(String message) {
            super(message);
        }
    }

    private String readChecksum(String app, String version, Path checksum, String fileName) {
        String what = app + " " + version;
        String text;
        try {
            if (Files.size(checksum) > MAX_CHECKSUM_FILE) {
                throw new ReleaseException(ReleaseException.Reason.MALFORMED_CHECKSUM, app, version, checksum,
                        what + ": malformed checksum file " + checksum + ": larger than " + MAX_CHECKSUM_FILE + " bytes");
            }
            text = Files.readString(checksum, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReleaseException(ReleaseException.Reason.UNREADABLE, app, version, checksum,
                    what + ": cannot read " + checksum + ": " + e, e);
        }
        try {
            return parseChecksum(text, fileName);
        } catch (MalformedChecksum e) {
            throw new ReleaseException(ReleaseException.Reason.MALFORMED_CHECKSUM, app, version, checksum,
                    what + ": malformed checksum file " + checksum + ": " + e.getMessage());
        }
    }

    private String versionsHint(String app) {
        try {
            List<String> vs = versions(app);
            return vs.isEmpty() ? " (the store has no version of " + app + ")"
                    : " (the store has " + app + " " + String.join(", ", vs) + ")";
        } catch (ReleaseException e) {
            return "";
        }
    }

    private static void checkApp(String app, String version) {
        if (app == null || !APP.matcher(app).matches() || app.contains("..")) {
            throw new ReleaseException(ReleaseException.Reason.INVALID_NAME, app, version, null,
                    "invalid app name " + quote(app) + (version == null ? "" : " (version " + quote(version) + ")")
                            + ": a letter, then letters, digits, . _ - (at most 64, no '/' and no '..')");
        }
    }

    private static void checkVersion(String app, String version) {
        if (version == null || !VERSION.matcher(version).matches() || version.contains("..")) {
            throw new ReleaseException(ReleaseException.Reason.INVALID_NAME, app, version, null,
                    "invalid version " + quote(version) + " of app " + app
                            + ": a letter or digit, then letters, digits, . _ + - (at most 64, no '/' and no '..')");
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + abbreviate(s) + "'";
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /**
     * Versions in a "semantic-ish" order: runs of digits compare as numbers (1.0.10 after 1.0.9), other runs as text;
     * a pre-release ({@code 1.0.0-rc1}) comes before its release ({@code 1.0.0}), build metadata ({@code 1.0.0+b2})
     * after it. Ties of numerically equal versions ({@code 1.01}, {@code 1.1}) fall back to plain text, so the order
     * is total and consistent with equals.
     */
    public static final Comparator<String> VERSION_ORDER = ReleaseStore::compareVersions;

    static int compareVersions(String a, String b) {
        List<String> ta = tokens(a);
        List<String> tb = tokens(b);
        // Lexicographic over the tokens, the shorter list padded with END: a total order on tokens + END makes
        // this a total order on versions.
        for (int i = 0, n = Math.max(ta.size(), tb.size()); i < n; i++) {
            int c = compareToken(i < ta.size() ? ta.get(i) : null, i < tb.size() ? tb.get(i) : null);
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    }

    /** Tokens (null = END) rank: "-..." (pre-release) &lt; END &lt; other text &lt; numbers. */
    private static int compareToken(String x, String y) {
        int rx = rank(x);
        int ry = rank(y);
        if (rx != ry) {
            return Integer.compare(rx, ry);
        }
        if (rx == 3) {
            String nx = stripZeros(x);
            String ny = stripZeros(y);
            return nx.length() != ny.length() ? Integer.compare(nx.length(), ny.length()) : nx.compareTo(ny);
        }
        return rx == 1 ? 0 : x.compareTo(y);
    }

    private static int rank(String token) {
        if (token == null) {
            return 1;
        }
        if (Character.isDigit(token.charAt(0))) {
            return 3;
        }
        return token.charAt(0) == '-' ? 0 : 2;
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    private static List<String> tokens(String v) {
        var out = new ArrayList<String>();
        int i = 0;
        while (i < v.length()) {
            int j = i + 1;
            boolean digit = Character.isDigit(v.charAt(i));
            while (j < v.length() && Character.isDigit(v.charAt(j)) == digit) {
                j++;
            }
            out.add(v.substring(i, j));
            i = j;
        }
        return out;
    }
}
