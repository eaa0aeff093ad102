package com.zed.zfs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Exact parsers for {@code zfs get} output (see docs/zfs.md, "Reading").
 * <ul>
 * <li>{@code zfs get -j} (OpenZFS ≥ 2.3): JSON, exact by construction.</li>
 * <li>{@code zfs get -H -p -o name,property,source,value} (every version): the value is last and may hold
 *     tabs and newlines; names, property names and sources never do. Records are anchored on the
 *     <em>known</em> set of (name, property) keys — from the request, or from a
 *     {@code -o name,property} listing, which is exact — and a record starts only where a line begins
 *     with the header of a key not seen yet. Where a value itself contains such a header line the split
 *     could be wrong; those cells (and the one before each) are reported as {@link Parsed#unsure()} so
 *     the caller re-reads them one by one ({@code -o source,value}: one cell, nothing to split).</li>
 * </ul>
 */
final class ZfsGet {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern MISSING = Pattern.compile("cannot open '([^'\n]*)': dataset does not exist");

    private ZfsGet() {
    }

    /** One cell of {@code zfs get}: an object name and a property name, as zfs prints them. */
    record Key(String name, String prop) {
    }

    /**
     * @param unsure cells whose split might be wrong (a value contains a header line): re-read them singly
     * @param unused expected keys that no record carried
     * @param foreign some value contains a line that looks like a header of a key not expected
     *                (its own text, or a dataset that appeared since the key listing)
     */
    record Parsed(PropertyTable table, Set<Key> unsure, Set<Key> unused, boolean foreign) {
    }

    // ---- errors -----------------------------------------------------------------------------

    /**
     * The names zfs reported as missing ("cannot open 'x': dataset does not exist"), or null when
     * stderr says anything else as well (a real failure).
     */
    static Set<String> missing(String stderr) {
        var out = new LinkedHashSet<String>();
        for (String line : stderr.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            var m = MISSING.matcher(line.strip());
            if (!m.matches()) {
                return null;
            }
            out.add(m.group(1));
        }
        return out;
    }

    /** OpenZFS before 2.3 does not know -j: "invalid option 'j'" and the usage. */
    static boolean noJsonOption(String stderr) {
        return stderr.contains("invalid option 'j'") || stderr.contains("illegal option -- j");
    }

    // ---- JSON (zfs get -j) --------------------------------------------------------------------

    /** Parses {@code zfs get -j -p ...}; properties as zfs printed them ("-" for none, as with -H). */
    static PropertyTable parseJson(String json) {
        if (json.isBlank()) {
            return PropertyTable.EMPTY;
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            // e.g. a C locale: zfs stops at the first non-ASCII character, mid-string, and exits 0
            throw new ZfsParseException("zfs get -j: not complete JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject() || !root.has("output_version")) {
            throw new ZfsParseException("zfs get -j: no output_version object");
        }
        var rows = new LinkedHashMap<String, Map<PropertyName, Property>>();
        JsonNode datasets = root.path("datasets");
        var it = datasets.fields();
        while (it.hasNext()) {
            var e = it.next();
            String name = e.getValue().path("name").asText(e.getKey());
            checkRead(name);
            var props = new LinkedHashMap<PropertyName, Property>();
            var pit = e.getValue().path("properties").fields();
            while (pit.hasNext()) {
                var p = pit.next();
                JsonNode v = p.getValue().get("value");
                if (v == null || !v.isValueNode()) {
                    throw new ZfsParseException("zfs get -j: " + name + " " + p.getKey() + " has no value");
                }
                var pn = PropertyName.read(p.getKey());
                props.put(pn, new Property(pn, v.asText(), jsonSource(p.getValue().path("source"))));
            }
            rows.put(name, props);
        }
        return PropertyTable.of(rows);
    }

    private static PropertySource jsonSource(JsonNode s) {
        String data = s.path("data").asText("-");
        return switch (s.path("type").asText("")) {
            case "LOCAL" -> PropertySource.LOCAL;
            case "DEFAULT" -> PropertySource.DEFAULT;
            case "RECEIVED" -> PropertySource.RECEIVED;
            case "TEMPORARY" -> PropertySource.TEMPORARY;
            case "NONE" -> PropertySource.NONE;
            case "INHERITED" -> PropertySource.inherited(data);
            default -> throw new ZfsParseException("zfs get -j: unknown source " + s);
        };
    }

    // ---- text (zfs get -H) --------------------------------------------------------------------

    /** Parses {@code zfs get -H -o name,property}: exact, since neither field can hold a tab or newline. */
    static List<Key> parseKeys(String out) {
        var keys = new ArrayList<Key>();
        int lineNo = 0;
        for (String line : out.split("\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 2) {
                throw new ZfsParseException("zfs get -o name,property line " + lineNo + ": " + Names.printable(line));
            }
            checkRead(f[0]);
            PropertyName.read(f[1]);
            keys.add(new Key(f[0], f[1]));
        }
        return keys;
    }

    /** Parses {@code zfs get -H -p -o source,value PROP NAME}: one cell, the value is everything after the first tab. */
    static Property parseCell(String prop, String out) {
        int tab = out.indexOf('\t');
        if (tab < 0) {
            throw new ZfsParseException("zfs get -o source,value: no tab in " + Names.printable(out));
        }
        int end = out.endsWith("\n") ? out.length() - 1 : out.length();
        return new Property(PropertyName.read(prop), out.substring(tab + 1, end), PropertySource.parse(out.substring(0, tab)));
    }

    private record Header(Key key, PropertySource source, int valueStart) {
    }

    /** A header {@code name\tprop\tsource\t} starting at {@code at}, or null. */
    private static Header headerAt(String s, int at) {
        int t1 = s.indexOf('\t', at);
        if (t1 < 0) {
            return null;
        }
        int t2 = s.indexOf('\t', t1 + 1);
        if (t2 < 0) {
            return null;
        }
        int t3 = s.indexOf('\t', t2 + 1);
        if (t3 < 0) {
            return null;
        }
        String name = s.substring(at, t1);
        String prop = s.substring(t1 + 1, t2);
        String src = s.substring(t2 + 1, t3);
        if (name.indexOf('\n') >= 0 || prop.indexOf('\n') >= 0 || src.indexOf('\n') >= 0) {
            return null;
        }
        try {
            checkRead(name);
            PropertyName.read(prop);
            return new Header(new Key(name, prop), PropertySource.parse(src), t3 + 1);
        } catch (IllegalArgumentException | ZfsParseException e) {
            return null;
        }
    }

    private record Rec(Key key, PropertySource source, String value) {
    }

    /**
     * Parses {@code zfs get -H -p -o name,property,source,value} whose records are exactly {@code keys},
     * in any order. A record ends where a line starts with the header of a key not yet seen (or at the end).
     */
    static Parsed parseAnchored(String out, Collection<Key> keys) {
        var expected = new LinkedHashSet<>(keys);
        var recs = new ArrayList<Rec>();
        var seen = new HashSet<Key>();
        if (!out.isEmpty()) {
            Header h = headerAt(out, 0);
            if (h == null || !expected.contains(h.key())) {
                throw new ZfsParseException("zfs get: output does not start with an expected record: "
                        + Names.printable(out));
            }
            seen.add(h.key());
            int from = h.valueStart();
            while (h != null) {
                Header next = null;
                int end = out.length();
                for (int nl = out.indexOf('\n', from); nl >= 0; nl = out.indexOf('\n', nl + 1)) {
                    if (nl == out.length() - 1) {
                        end = nl;
                        break;
                    }
                    Header c = headerAt(out, nl + 1);
                    if (c != null && expected.contains(c.key()) && !seen.contains(c.key())) {
                        end = nl;
                        next = c;
                        break;
                    }
                }
                recs.add(new Rec(h.key(), h.source(), out.substring(from, end)));
                h = next;
                if (h != null) {
                    seen.add(h.key());
                    from = h.valueStart();
                }
            }
        }
        // A header line inside a value: it is either text of the value, or a real record the split swallowed.
        var inside = new HashSet<Key>();
        var unsure = new LinkedHashSet<Key>();
        boolean foreign = false;
        for (int i = 0; i < recs.size(); i++) {
            String v = recs.get(i).value();
            for (int nl = v.indexOf('\n'); nl >= 0; nl = v.indexOf('\n', nl + 1)) {
                Header c = headerAt(v, nl + 1);
                if (c == null) {
                    continue;
                }
                if (expected.contains(c.key())) {
                    inside.add(c.key());
                    unsure.add(recs.get(i).key());
                } else {
                    foreign = true;
                }
            }
        }
        if (!inside.isEmpty()) {
            unsure.addAll(inside);
            for (int i = 1; i < recs.size(); i++) {
                if (inside.contains(recs.get(i).key())) {
                    unsure.add(recs.get(i - 1).key());  // its value may have been cut short
                }
            }
        }
        var rows = new LinkedHashMap<String, Map<PropertyName, Property>>();
        for (Rec r : recs) {
            var pn = PropertyName.read(r.key().prop());
            rows.computeIfAbsent(r.key().name(), k -> new LinkedHashMap<>()).put(pn, new Property(pn, r.value(), r.source()));
        }
        var unused = new LinkedHashSet<>(expected);
        unused.removeAll(seen);
        return new Parsed(PropertyTable.of(rows), Collections.unmodifiableSet(unsure), Collections.unmodifiableSet(unused), foreign);
    }

    /** A dataset, snapshot or bookmark name as zfs prints it: ZFS's rules. */
    static void checkRead(String name) {
        if (name != null && name.indexOf('@') >= 0) {
            SnapshotName.read(name);
        } else if (name != null && name.indexOf('#') >= 0) {
            BookmarkName.read(name);
        } else {
            DatasetName.read(name);
        }
    }
}
