package com.zed.replicate;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * What a {@code receive_resume_token} says about the interrupted stream, decoded without asking
 * ZFS: the snapshot the stream goes to ({@code toguid}, {@code toname}) and, for an incremental,
 * the base it came from ({@code fromguid}). Pure: no I/O.
 *
 * <p>The token is {@code VERSION-CHECKSUM-LENGTH-HEX}: version 1, a checksum of the compressed
 * bytes, the unpacked length, and the hex of a zlib-compressed nvlist in the kernel's native
 * encoding (a 4-byte header, the nvlist's version and flags, then pairs: size, name size, element
 * count, type, the name padded to 8 bytes, the value; a zero size ends the list). Only the unsigned 64-bit and string pairs are read; others are skipped by their size.
 *
 * @param toGuid   the guid of the snapshot being sent (decimal, as {@code zfs get guid} prints it)
 * @param toName   its name on the source when the stream began
 * @param fromGuid the incremental base's guid (decimal), empty for a full stream
 * @param bytes    the bytes the target has already received
 */
public record ResumeToken(String toGuid, String toName, Optional<String> fromGuid, long bytes) {
    private static final int DATA_TYPE_UINT64 = 8;
    private static final int DATA_TYPE_STRING = 9;
    private static final int MAX_UNPACKED = 1 << 20;

    /** The decoded token, or empty when it is not a version-1 token this decoder understands. */
    public static Optional<ResumeToken> decode(String token) {
        try {
            return Optional.ofNullable(decodeOrNull(token));
        } catch (RuntimeException | DataFormatException e) {
            return Optional.empty();
        }
    }

    private static ResumeToken decodeOrNull(String token) throws DataFormatException {
        if (token == null) {
            return null;
        }
        String[] parts = token.trim().split("-");
        if (parts.length != 4 || !parts[0].equals("1")) {
            return null;
        }
        long length = Long.parseLong(parts[2], 16);
        if (length <= 0 || length > MAX_UNPACKED) {
            return null;
        }
        byte[] packed = inflate(HexFormat.of().parseHex(parts[3]), (int) length);
        if (packed.length != length) {
            return null;
        }
        Map<String, Object> pairs = nvlist(packed);
        Object to = pairs.get("toguid");
        Object name = pairs.get("toname");
        if (!(to instanceof Long) || !(name instanceof String)) {
            return null;
        }
        Object from = pairs.get("fromguid");
        Object bytes = pairs.get("bytes");
        return new ResumeToken(Long.toUnsignedString((Long) to), (String) name,
                from instanceof Long f ? Optional.of(Long.toUnsignedString(f)) : Optional.empty(),
                bytes instanceof Long b ? b : 0L);
    }

    private static byte[] inflate(byte[] in, int expected) throws DataFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream(expected);
            byte[] buf = new byte[4096];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_UNPACKED) {
                    throw new DataFormatException("resume token too large");
                }
            }
            return out.toByteArray();
        } finally {
            inf.end();
        }
    }

    /** The uint64 and string pairs of a natively encoded nvlist. */
    static Map<String, Object> nvlist(byte[] packed) {
        ByteBuffer b = ByteBuffer.wrap(packed);
        if (b.get(0) != 0) {   // encoding: 0 native (1 would be XDR)
            throw new IllegalArgumentException("not a natively encoded nvlist");
        }
        b.order(b.get(1) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int pos = 4 + 8;       // the encoding header, then the nvlist's version and flags
        Map<String, Object> out = new LinkedHashMap<>();
        while (pos + 4 <= packed.length) {
            int size = b.getInt(pos);
            if (size == 0) {
                break;
            }
            if (size < 16 || pos + size > packed.length) {
                throw new IllegalArgumentException("bad nvpair size " + size + " at " + pos);
            }
            int nameSize = b.getShort(pos + 4);
            int type = b.getInt(pos + 12);
            if (nameSize < 1 || 16 + nameSize > size) {
                throw new IllegalArgumentException("bad nvpair name size " + nameSize + " at " + pos);
            }
            String name = new String(packed, pos + 16, nameSize - 1, StandardCharsets.UTF_8);
            int value = pos + align8(16 + nameSize);
            if (type == DATA_TYPE_UINT64 && value + 8 <= pos + size) {
                out.put(name, b.getLong(value));
            } else if (type == DATA_TYPE_STRING) {
                int end = value;
                while (end < pos + size && packed[end] != 0) {
                    end++;
                }
                out.put(name, new String(packed, value, end - value, StandardCharsets.UTF_8));
            }
            pos += size;
        }
        return out;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }
}
