package com.zed.zfs;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One line of {@code zfs diff -FHt}: what changed, on which kind of file, where. */
public record DiffEntry(Change change, FileType type, String path, Optional<String> newPath, Instant changed) {

    public enum Change {
        ADDED('+'), REMOVED('-'), MODIFIED('M'), RENAMED('R');
        final char symbol;
        Change(char symbol) { this.symbol = symbol; }
        public char symbol() { return symbol; }
        static Change of(String s) {
            for (Change c : values()) {
                if (s.length() == 1 && s.charAt(0) == c.symbol) {
                    return c;
                }
            }
            throw new ZfsParseException("unknown zfs diff change type '" + s + "'");
        }
    }

    public enum FileType {
        FILE('F'), DIRECTORY('/'), SYMLINK('@'), BLOCK_DEVICE('B'), CHAR_DEVICE('C'), FIFO('|'), SOCKET('='),
        DOOR('>'), EVENT_PORT('P');
        final char symbol;
        FileType(char symbol) { this.symbol = symbol; }
        static FileType of(String s) {
            for (FileType t : values()) {
                if (s.length() == 1 && s.charAt(0) == t.symbol) {
                    return t;
                }
            }
            throw new ZfsParseException("unknown zfs diff file type '" + s + "'");
        }
    }

    /** Parses the output of {@code zfs diff -F -H -t}. */
    public static List<DiffEntry> parse(String output) {
        var out = new ArrayList<DiffEntry>();
        for (String line : output.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4 && f.length != 5) {
                throw new ZfsParseException("zfs diff: expected 4 or 5 tab-separated fields: " + Names.printable(line));
            }
            Change c = Change.of(f[1]);
            if ((c == Change.RENAMED) != (f.length == 5)) {
                throw new ZfsParseException("zfs diff: a rename has two paths, other changes one: " + Names.printable(line));
            }
            out.add(new DiffEntry(c, FileType.of(f[2]), unescape(f[3]),
                    f.length == 5 ? Optional.of(unescape(f[4])) : Optional.empty(), time(f[0])));
        }
        return out;
    }

    private static Instant time(String s) {
        BigDecimal t = new BigDecimal(s);
        long sec = t.longValue();
        int nanos = t.subtract(BigDecimal.valueOf(sec)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(sec, nanos);
    }

    /**
     * zfs diff prints every byte outside printable ASCII, and space and backslash, as a backslash
     * and four octal digits ({@code \0040} for a space); paths are bytes, decoded here as UTF-8.
     */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        var bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3) && isOctal(s, i + 4)) {
                bytes.write(Integer.parseInt(s.substring(i + 1, i + 5), 8));
                i += 4;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }
}
