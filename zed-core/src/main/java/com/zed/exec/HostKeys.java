package com.zed.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * known_hosts files, read the way OpenSSH reads them ({@code sshd(8)}, "SSH_KNOWN_HOSTS FILE FORMAT"):
 * {@code [marker] patterns keytype base64-key [comment]}, where patterns are comma-separated names,
 * {@code [host]:port} for ports other than 22, wildcards, {@code !negations}, or one hashed name
 * {@code |1|base64(salt)|base64(HMAC-SHA1(salt, name))} as {@code ssh-keygen -H} and
 * {@code HashKnownHosts yes} write it. {@code @revoked} keys are refused; {@code @cert-authority}
 * lines are not used (Zed does not verify host certificates), so a host known only through a CA is unknown.
 *
 * <p>{@link #check} is the decision, with no side effects; {@link #append} writes a newly accepted key.
 */
public final class HostKeys {

    /** What known_hosts says about the key a host offered. */
    public enum Verdict {
        /** A line for this host holds exactly this key. */
        KNOWN,
        /** No line names this host. */
        UNKNOWN,
        /** A line for this host holds another key of the same type: refused, never replaced. */
        CHANGED,
        /** The host is known, but only with keys of other types: refused like a changed key. */
        OTHER_TYPE,
        /** The key is marked {@code @revoked}. */
        REVOKED
    }

    /** One usable line of a known_hosts file. */
    public record Entry(Path file, int line, String marker, String patterns, String type, byte[] key) {
        public String where() {
            return file + ":" + line;
        }
    }

    /** A decision and the line it rests on (null for UNKNOWN and KNOWN-by-no-particular-line). */
    public record Result(Verdict verdict, Entry entry) {
    }

    private final List<Path> files;
    private final List<Entry> entries;

    private HostKeys(List<Path> files, List<Entry> entries) {
        this.files = List.copyOf(files);
        this.entries = List.copyOf(entries);
    }

    /** Reads {@code files} in order; a file that does not exist holds nothing. */
    public static HostKeys load(List<Path> files) {
        List<Entry> out = new ArrayList<>();
        for (Path f : files) {
            if (Files.isRegularFile(f)) {
                try {
                    parse(f, Files.readString(f, StandardCharsets.UTF_8), out);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read known_hosts " + f + ": " + e.getMessage(), e);
                }
            }
        }
        return new HostKeys(files, out);
    }

    /** Parses known_hosts text as if it were {@code file} (for specs). */
    public static HostKeys parse(Path file, String text) {
        List<Entry> out = new ArrayList<>();
        parse(file, text, out);
        return new HostKeys(List.of(file), out);
    }

    private static void parse(Path file, String text, List<Entry> out) {
        String[] rows = text.split("\r?\n", -1);
        for (int i = 0; i < rows.length; i++) {
            String row = rows[i].strip();
            if (row.isEmpty() || row.startsWith("#")) {
                continue;
            }
            String[] f = row.split("[ \t]+");
            int k = 0;
            String marker = null;
            if (f[0].startsWith("@")) {
                marker = f[0];
                k = 1;
            }
            if (f.length < k + 3) {
                continue; // OpenSSH skips malformed lines too
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(f[k + 2]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            out.add(new Entry(file, i + 1, marker, f[k], f[k + 1], key));
        }
    }

    /** The name known_hosts uses for a host: {@code host} on port 22, else {@code [host]:port}. */
    public static String lookupName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /** The files read, first first ({@link #append} writes to the first). */
    public List<Path> files() {
        return files;
    }

    /** Every non-CA line whose patterns name {@code name}. */
    public List<Entry> entriesFor(String name) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (!"@cert-authority".equals(e.marker()) && names(e.patterns(), name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Decides on the key ({@code type}, blob) that the host known as {@code name} offered. */
    public Result check(String name, String type, byte[] key) {
        List<Entry> mine = entriesFor(name);
        for (Entry e : mine) {
            if ("@revoked".equals(e.marker()) && Arrays.equals(e.key(), key)) {
                return new Result(Verdict.REVOKED, e);
            }
        }
        Entry changed = null;
        for (Entry e : mine) {
            if (e.marker() != null) {
                continue;
            }
            if (e.type().equals(type) && Arrays.equals(e.key(), key)) {
                return new Result(Verdict.KNOWN, e);
            }
            if (e.type().equals(type) && changed == null) {
                changed = e;
            }
        }
        if (changed != null) {
            return new Result(Verdict.CHANGED, changed);
        }
        for (Entry e : mine) {
            if (e.marker() == null) {
                return new Result(Verdict.OTHER_TYPE, e);
            }
        }
        return new Result(Verdict.UNKNOWN, null);
    }

    /** Does a pattern list (or one hashed name) name {@code name}? */
    static boolean names(String patterns, String name) {
        if (patterns.startsWith("|1|")) {
            return hashedMatches(patterns, name);
        }
        String n = name.toLowerCase(Locale.ROOT);
        boolean yes = false;
        for (String p : patterns.split(",")) {
            boolean neg = p.startsWith("!");
            String pat = (neg ? p.substring(1) : p).toLowerCase(Locale.ROOT);
            if (SshConfig.matches(List.of(pat), n)) {
                if (neg) {
                    return false;
                }
                yes = true;
            }
        }
        return yes;
    }

    private static boolean hashedMatches(String hashed, String name) {
        String[] parts = hashed.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] want = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(hmac(salt, name), want);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] hmac(byte[] salt, String name) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
            return mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A hashed name for {@code name} with a fresh salt, as {@code ssh-keygen -H} writes it. */
    static String hash(String name, SecureRandom random) {
        byte[] salt = new byte[20];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hmac(salt, name));
    }

    /** The line Zed writes for an accepted key. */
    static String line(String name, String type, byte[] key, boolean hashed) {
        return (hashed ? hash(name, new SecureRandom()) : name) + " " + type + " " + Base64.getEncoder().encodeToString(key);
    }

    /**
     * Appends the key to the first file (created, with its directory, when missing), on a line of its
     * own.
     */
    public void append(String name, String type, byte[] key, boolean hashed) {
        Path f = files.get(0);
        try {
            Path dir = f.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            String prefix = "";
            if (Files.exists(f) && Files.size(f) > 0) {
                byte[] all = Files.readAllBytes(f);
                prefix = all[all.length - 1] == '\n' ? "" : "\n";
            }
            Files.writeString(f, prefix + line(name, type, key, hashed) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the new host key to " + f + ": " + e.getMessage(), e);
        }
    }

    /** The key type named inside an SSH public key blob (its first string). */
    public static String typeOf(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        if (b.remaining() < 4) {
            throw new IllegalArgumentException("not an SSH public key blob");
        }
        int n = b.getInt();
        if (n <= 0 || n > b.remaining()) {
            throw new IllegalArgumentException("not an SSH public key blob");
        }
        byte[] t = new byte[n];
        b.get(t);
        return new String(t, StandardCharsets.US_ASCII);
    }

    /** The fingerprint as OpenSSH prints it: {@code SHA256:} and the unpadded base64 of the blob's SHA-256. */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
