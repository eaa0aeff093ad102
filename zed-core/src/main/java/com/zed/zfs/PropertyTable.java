package com.zed.zfs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Properties of many datasets/snapshots, as one {@code zfs get} printed them. Keys are the object
 * names exactly as ZFS printed them, in ZFS's order.
 */
public final class PropertyTable {
    public static final PropertyTable EMPTY = new PropertyTable(Map.of());

    private final Map<String, Map<PropertyName, Property>> rows;

    private PropertyTable(Map<String, Map<PropertyName, Property>> rows) {
        this.rows = rows;
    }

    /** A table of these rows (copied; order kept). For other {@link Zfs} implementations. */
    public static PropertyTable of(Map<String, Map<PropertyName, Property>> rows) {
        var copy = new LinkedHashMap<String, Map<PropertyName, Property>>();
        rows.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        return new PropertyTable(Collections.unmodifiableMap(copy));
    }

    /** This table with {@code more}'s cells added or replacing these. */
    PropertyTable with(PropertyTable more) {
        var copy = new LinkedHashMap<String, Map<PropertyName, Property>>();
        rows.forEach((k, v) -> copy.put(k, new LinkedHashMap<>(v)));
        more.rows.forEach((k, v) -> copy.computeIfAbsent(k, x -> new LinkedHashMap<>()).putAll(v));
        return of(copy);
    }

    /**
     * Parses the legacy layout {@code zfs get -H -p -o name,property,value,source} by splitting lines
     * on tabs: right for values without tabs and newlines only. {@link Zfs} implementations read with
     * the exact parsers instead (docs/zfs.md, "Reading").
     */
    public static PropertyTable parse(String output) {
        var rows = new LinkedHashMap<String, Map<PropertyName, Property>>();
        int lineNo = 0;
        for (String line : output.split("\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new ZfsParseException("zfs get line " + lineNo + ": expected 4 tab-separated fields, got "
                        + f.length + ": " + Names.printable(line));
            }
            ZfsGet.checkRead(f[0]);
            var p = new Property(PropertyName.read(f[1]), f[2], PropertySource.parse(f[3]));
            rows.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(p.name(), p);
        }
        rows.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return new PropertyTable(Collections.unmodifiableMap(rows));
    }

    public Set<String> names() {
        return rows.keySet();
    }

    public boolean contains(String name) {
        return rows.containsKey(name);
    }

    /** All properties of one object; empty map when absent. */
    public Map<PropertyName, Property> of(String name) {
        return rows.getOrDefault(name, Map.of());
    }

    public Optional<Property> get(String name, PropertyName prop) {
        return Optional.ofNullable(of(name).get(prop));
    }

    /** The raw value, or empty when the object or property is absent or has no value ({@code -}). */
    public Optional<String> value(String name, String prop) {
        return get(name, PropertyName.read(prop)).filter(Property::hasValue).map(Property::value);
    }

    public Map<String, Map<PropertyName, Property>> asMap() {
        return rows;
    }

    public int size() {
        return rows.size();
    }
}
