package com.zed.beam;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangFloat;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Erlang term text to JInterface terms and back; JInterface has no parser of its own.
 *
 * <p>Reads the literal subset a health check needs: atoms ({@code ok}, {@code 'exmc@127.0.0.1'}),
 * integers ({@code -7}, {@code 16#ff}, {@code 1_000}, {@code $a}), floats, strings ({@code "abc"}, a list
 * of code points), binaries ({@code <<"x">>}, {@code <<"é"/utf8>>}, {@code <<1,2>>}), lists (also
 * improper, {@code [a|b]}), tuples and maps ({@code #{k => v}}). Not read: variables, pids, refs,
 * funs, records, expressions.
 */
public final class ErlangTerms {

    /** Term text that is not a term of the supported subset; the message says where. */
    public static final class ParseException extends IllegalArgumentException {
        ParseException(String text, int at, String what) {
            super(what + " at offset " + at + " in " + quoteForMessage(text));
        }

        private static String quoteForMessage(String text) {
            return text.length() > 80 ? "'" + text.substring(0, 80) + "...'" : "'" + text + "'";
        }
    }

    private static final Set<String> RESERVED = Set.of("after", "and", "andalso", "band", "begin", "bnot", "bor",
            "bsl", "bsr", "bxor", "case", "catch", "cond", "div", "end", "fun", "if", "let", "maybe", "not", "of",
            "or", "orelse", "receive", "rem", "try", "when", "xor");

    private ErlangTerms() {
    }

    /** Parses one term; surrounding whitespace is fine, an optional trailing {@code .} too. */
    public static OtpErlangObject parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("term text is null");
        }
        Parser p = new Parser(text);
        p.skipSpace();
        OtpErlangObject t = p.term();
        p.skipSpace();
        if (p.peek() == '.') {
            p.pos++;
            p.skipSpace();
        }
        if (!p.atEnd()) {
            throw p.error("unexpected '" + (char) p.peek() + "' after the term");
        }
        return t;
    }

    /**
     * Erlang's {@code =:=} on the terms JInterface decodes: strings and lists of code points are the
     * same term, every integer width is an integer, booleans are atoms, floats are doubles.
     */
    public static boolean equivalent(OtpErlangObject a, OtpErlangObject b) {
        return normalize(a).equals(normalize(b));
    }

    /** Erlang syntax, compact like {@code ~w} but with strings and printable binaries as text. */
    public static String format(OtpErlangObject t) {
        StringBuilder sb = new StringBuilder();
        write(sb, t);
        return sb.toString();
    }

    /** {@link #format(OtpErlangObject)} cut to {@code max} characters for one-line reasons. */
    public static String format(OtpErlangObject t, int max) {
        String s = format(t);
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    static OtpErlangObject normalize(OtpErlangObject t) {
        if (t instanceof OtpErlangString s) {
            return codePoints(s.stringValue());
        }
        if (t instanceof OtpErlangLong l) {
            return new OtpErlangLong(l.bigIntegerValue());
        }
        if (t instanceof OtpErlangAtom a) {
            return new OtpErlangAtom(a.atomValue());
        }
        if (t instanceof OtpErlangFloat f) {
            return new OtpErlangDouble(f.doubleValue());
        }
        if (t instanceof OtpErlangList l) {
            OtpErlangObject[] elems = l.elements();
            OtpErlangObject[] out = new OtpErlangObject[elems.length];
            for (int i = 0; i < elems.length; i++) {
                out[i] = normalize(elems[i]);
            }
            OtpErlangObject tail = l.getLastTail();
            if (tail == null || (tail instanceof OtpErlangList tl && tl.arity() == 0)
                    || (tail instanceof OtpErlangString ts && ts.stringValue().isEmpty())) {
                return new OtpErlangList(out);
            }
            try {
                return new OtpErlangList(out, normalize(tail));
            } catch (com.ericsson.otp.erlang.OtpErlangException e) {
                throw new IllegalStateException(e);
            }
        }
        if (t instanceof OtpErlangTuple tu) {
            OtpErlangObject[] elems = tu.elements();
            OtpErlangObject[] out = new OtpErlangObject[elems.length];
            for (int i = 0; i < elems.length; i++) {
                out[i] = normalize(elems[i]);
            }
            return new OtpErlangTuple(out);
        }
        if (t instanceof OtpErlangMap m) {
            OtpErlangObject[] ks = m.keys();
            OtpErlangObject[] vs = m.values();
            OtpErlangObject[] nk = new OtpErlangObject[ks.length];
            OtpErlangObject[] nv = new OtpErlangObject[vs.length];
            for (int i = 0; i < ks.length; i++) {
                nk[i] = normalize(ks[i]);
                nv[i] = normalize(vs[i]);
            }
            return new OtpErlangMap(nk, nv);
        }
        return t;
    }

    private static OtpErlangList codePoints(String s) {
        return new OtpErlangList(s.codePoints().mapToObj(OtpErlangLong::new).toArray(OtpErlangObject[]::new));
    }

    // ---- formatting ----

    private static void write(StringBuilder sb, OtpErlangObject t) {
        if (t instanceof OtpErlangString s) {
            writeString(sb, s.stringValue());
        } else if (t instanceof OtpErlangAtom a) {
            writeAtom(sb, a.atomValue());
        } else if (t instanceof OtpErlangLong l) {
            sb.append(l.bigIntegerValue());
        } else if (t instanceof OtpErlangDouble d) {
            sb.append(d.doubleValue());
        } else if (t instanceof OtpErlangFloat f) {
            sb.append(f.doubleValue());
        } else if (t instanceof OtpErlangList l) {
            writeList(sb, l);
        } else if (t instanceof OtpErlangTuple tu) {
            sb.append('{');
            for (int i = 0; i < tu.arity(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, tu.elementAt(i));
            }
            sb.append('}');
        } else if (t instanceof OtpErlangMap m) {
            sb.append("#{");
            OtpErlangObject[] ks = m.keys();
            OtpErlangObject[] vs = m.values();
            for (int i = 0; i < ks.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, ks[i]);
                sb.append(" => ");
                write(sb, vs[i]);
            }
            sb.append('}');
        } else if (t instanceof OtpErlangBinary b) {
            writeBinary(sb, b.binaryValue());
        } else if (t instanceof OtpErlangBitstr bs) {
            sb.append(bs);
        } else {
            sb.append(t); // pids, refs, ports, funs: JInterface's own notation
        }
    }

    private static void writeList(StringBuilder sb, OtpErlangList l) {
        OtpErlangObject[] elems = l.elements();
        OtpErlangObject tail = l.getLastTail();
        boolean proper = tail == null;
        if (proper && elems.length > 0 && allPrintableChars(elems)) {
            StringBuilder s = new StringBuilder();
            for (OtpErlangObject e : elems) {
                s.appendCodePoint((int) ((OtpErlangLong) e).longValue());
            }
            writeString(sb, s.toString());
            return;
        }
        sb.append('[');
        for (int i = 0; i < elems.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            write(sb, elems[i]);
        }
        if (!proper) {
            sb.append('|');
            write(sb, tail);
        }
        sb.append(']');
    }

    private static boolean allPrintableChars(OtpErlangObject[] elems) {
        for (OtpErlangObject e : elems) {
            if (!(e instanceof OtpErlangLong l) || l.bitLength() > 31 || !printable((int) l.longValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean printable(int c) {
        return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t' || c == '\r' || (c >= 0xa0 && c <= 0x10ffff
                && Character.isDefined(c) && !Character.isISOControl(c));
    }

    private static void writeBinary(StringBuilder sb, byte[] bytes) {
        if (bytes.length == 0) {
            sb.append("<<>>");
            return;
        }
        boolean ascii = true;
        for (byte b : bytes) {
            if (!printable(b & 0xff) || (b & 0xff) >= 0x7f) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            sb.append("<<");
            writeString(sb, new String(bytes, StandardCharsets.ISO_8859_1));
            sb.append(">>");
            return;
        }
        String utf8 = decodeUtf8(bytes);
        if (utf8 != null && utf8.codePoints().allMatch(ErlangTerms::printable)) {
            sb.append("<<");
            writeString(sb, utf8);
            sb.append("/utf8>>");
            return;
        }
        sb.append("<<");
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(bytes[i] & 0xff);
        }
        sb.append(">>");
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        escape(sb, s, '"');
        sb.append('"');
    }

    private static void writeAtom(StringBuilder sb, String a) {
        if (a.matches("[a-z][a-zA-Z0-9_@]*") && !RESERVED.contains(a)) {
            sb.append(a);
        } else {
            sb.append('\'');
            escape(sb, a, '\'');
            sb.append('\'');
        }
    }

    private static void escape(StringBuilder sb, String s, char quote) {
        s.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c == quote) {
                        sb.append('\\').append(quote);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x{%X}", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        });
    }

    // ---- parsing ----

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        int peek() {
            return atEnd() ? -1 : s.charAt(pos);
        }

        ParseException error(String what) {
            return new ParseException(s, pos, what);
        }

        void skipSpace() {
            while (!atEnd()) {
                char c = s.charAt(pos);
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '%') { // comment to end of line
                    while (!atEnd() && s.charAt(pos) != '\n') {
                        pos++;
                    }
                } else {
                    return;
                }
            }
        }

        void expect(char c) {
            skipSpace();
            if (peek() != c) {
                throw error(atEnd() ? "expected '" + c + "' but the text ended" : "expected '" + c + "'");
            }
            pos++;
        }

        boolean accept(String token) {
            skipSpace();
            if (s.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        OtpErlangObject term() {
            skipSpace();
            int c = peek();
            if (c < 0) {
                throw error("expected a term but the text ended");
            }
            if (c == '[') {
                return list();
            }
            if (c == '{') {
                return tuple();
            }
            if (c == '#') {
                return map();
            }
            if (c == '<' && s.startsWith("<<", pos)) {
                return binary();
            }
            if (c == '"') {
                return codePoints(string('"'));
            }
            if (c == '\'') {
                return new OtpErlangAtom(string('\''));
            }
            if (c == '$') {
                pos++;
                return new OtpErlangLong(charLiteral());
            }
            if (c == '-' || c == '+' || Character.isDigit(c)) {
                return number();
            }
            if (c >= 'a' && c <= 'z') {
                int start = pos;
                while (!atEnd() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_'
                        || s.charAt(pos) == '@')) {
                    pos++;
                }
                return new OtpErlangAtom(s.substring(start, pos));
            }
            if ((c >= 'A' && c <= 'Z') || c == '_') {
                throw error("variables are not terms (quote atoms that start upper-case: 'Name')");
            }
            throw error("unexpected '" + (char) c + "'");
        }

        OtpErlangObject list() {
            expect('[');
            List<OtpErlangObject> elems = new ArrayList<>();
            if (accept("]")) {
                return new OtpErlangList();
            }
            OtpErlangObject tail = null;
            while (true) {
                elems.add(term());
                if (accept(",")) {
                    continue;
                }
                if (accept("|")) {
                    tail = term();
                    expect(']');
                    break;
                }
                expect(']');
                break;
            }
            OtpErlangObject[] arr = elems.toArray(new OtpErlangObject[0]);
            if (tail == null || (tail instanceof OtpErlangList tl && tl.arity() == 0)) {
                return new OtpErlangList(arr);
            }
            if (tail instanceof OtpErlangList tl) { // [a|[b,c]] is [a,b,c]
                List<OtpErlangObject> all = new ArrayList<>(elems);
                all.addAll(List.of(tl.elements()));
                OtpErlangObject[] merged = all.toArray(new OtpErlangObject[0]);
                try {
                    return tl.getLastTail() == null ? new OtpErlangList(merged)
                            : new OtpErlangList(merged, tl.getLastTail());
                } catch (com.ericsson.otp.erlang.OtpErlangException e) {
                    throw error(e.getMessage());
                }
            }
            try {
                return new OtpErlangList(arr, tail);
            } catch (com.ericsson.otp.erlang.OtpErlangException e) {
                throw error(e.getMessage());
            }
        }

        OtpErlangObject tuple() {
            expect('{');
            List<OtpErlangObject> elems = new ArrayList<>();
            if (!accept("}")) {
                do {
                    elems.add(term());
                } while (accept(","));
                expect('}');
            }
            return new OtpErlangTuple(elems.toArray(new OtpErlangObject[0]));
        }

        OtpErlangObject map() {
            expect('#');
            expect('{');
            List<OtpErlangObject> ks = new ArrayList<>();
            List<OtpErlangObject> vs = new ArrayList<>();
            if (!accept("}")) {
                do {
                    ks.add(term());
                    if (!accept("=>")) {
                        throw error("expected '=>' in a map");
                    }
                    vs.add(term());
                } while (accept(","));
                expect('}');
            }
            return new OtpErlangMap(ks.toArray(new OtpErlangObject[0]), vs.toArray(new OtpErlangObject[0]));
        }

        OtpErlangObject binary() {
            pos += 2; // <<
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (accept(">>")) {
                return new OtpErlangBinary(new byte[0]);
            }
            do {
                skipSpace();
                if (peek() == '"') {
                    String str = string('"');
                    if (accept("/utf8")) {
                        out.writeBytes(str.getBytes(StandardCharsets.UTF_8));
                    } else {
                        for (int cp : str.codePoints().toArray()) {
                            if (cp > 255) {
                                throw error("character " + cp + " does not fit a byte; write \"...\"/utf8");
                            }
                            out.write(cp);
                        }
                    }
                } else {
                    OtpErlangObject n = term();
                    if (!(n instanceof OtpErlangLong l) || l.bitLength() > 8 || l.longValue() < 0) {
                        throw error("binary segments must be strings or integers 0..255");
                    }
                    out.write((int) l.longValue());
                }
            } while (accept(","));
            if (!accept(">>")) {
                throw error("expected '>>'");
            }
            return new OtpErlangBinary(out.toByteArray());
        }

        OtpErlangObject number() {
            int start = pos;
            if (peek() == '-' || peek() == '+') {
                pos++;
            }
            int digitsStart = pos;
            while (!atEnd() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (pos == digitsStart) {
                throw error("expected digits");
            }
            String sign = s.substring(start, digitsStart).equals("-") ? "-" : "";
            String digits = s.substring(digitsStart, pos).replace("_", "");
            if (peek() == '#') { // Base#Digits
                int base = Integer.parseInt(digits);
                if (base < 2 || base > 36) {
                    throw error("base must be 2..36");
                }
                pos++;
                int ds = pos;
                while (!atEnd() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                    pos++;
                }
                try {
                    return new OtpErlangLong(new BigInteger(sign + s.substring(ds, pos).replace("_", ""), base));
                } catch (NumberFormatException e) {
                    throw error("bad base-" + base + " integer");
                }
            }
            if (peek() == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                pos++;
                while (!atEnd() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                    pos++;
                }
                if (peek() == 'e' || peek() == 'E') {
                    pos++;
                    if (peek() == '-' || peek() == '+') {
                        pos++;
                    }
                    int es = pos;
                    while (!atEnd() && Character.isDigit(s.charAt(pos))) {
                        pos++;
                    }
                    if (es == pos) {
                        throw error("expected exponent digits");
                    }
                }
                return new OtpErlangDouble(Double.parseDouble(s.substring(start, pos).replace("_", "")));
            }
            return new OtpErlangLong(new BigInteger(sign + digits));
        }

        /** The text of a quoted string or atom, escapes resolved; {@code pos} is at the opening quote. */
        String string(char quote) {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw error("unterminated " + (quote == '"' ? "string" : "quoted atom"));
                }
                char c = s.charAt(pos++);
                if (c == quote) {
                    return sb.toString();
                }
                if (c == '\\') {
                    sb.appendCodePoint(escapeSequence());
                } else {
                    sb.append(c);
                }
            }
        }

        int charLiteral() {
            if (atEnd()) {
                throw error("expected a character after $");
            }
            char c = s.charAt(pos++);
            if (c == '\\') {
                return escapeSequence();
            }
            if (Character.isHighSurrogate(c) && !atEnd()) {
                return Character.toCodePoint(c, s.charAt(pos++));
            }
            return c;
        }

        /** After a backslash: Erlang's escapes. */
        int escapeSequence() {
            if (atEnd()) {
                throw error("unterminated escape");
            }
            char c = s.charAt(pos++);
            switch (c) {
                case 'n': return '\n';
                case 't': return '\t';
                case 'r': return '\r';
                case 's': return ' ';
                case 'b': return '\b';
                case 'f': return '\f';
                case 'v': return 0x0b;
                case 'e': return 0x1b;
                case 'd': return 0x7f;
                case 'x': {
                    if (peek() == '{') {
                        int end = s.indexOf('}', pos);
                        if (end < 0) {
                            throw error("unterminated \\x{...}");
                        }
                        int v = Integer.parseInt(s.substring(pos + 1, end), 16);
                        pos = end + 1;
                        return v;
                    }
                    if (pos + 2 > s.length()) {
                        throw error("\\x needs two hex digits");
                    }
                    int v = Integer.parseInt(s.substring(pos, pos + 2), 16);
                    pos += 2;
                    return v;
                }
                default:
                    if (c >= '0' && c <= '7') { // up to three octal digits
                        int v = c - '0';
                        for (int i = 0; i < 2 && !atEnd() && s.charAt(pos) >= '0' && s.charAt(pos) <= '7'; i++) {
                            v = v * 8 + (s.charAt(pos++) - '0');
                        }
                        return v;
                    }
                    return c; // \\ \" \' and any other char stand for themselves
            }
        }
    }
}
