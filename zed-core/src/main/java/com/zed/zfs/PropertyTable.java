package com.zed.zfs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Properties of many datasets/snapshots, parsed from one {@code zfs get -Hp -o name,property,value,source}
 * call. Keys are the object names exactly as ZFS printed them, in ZFS's order.
 */
public final class PropertyTable {
    private final Map<String, Map<PropertyName, Property>> rows;

    private PropertyTable(Map<String, Map<PropertyName, Property>> rows) {
        this.rows = rows;
    }

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
            var p = new Property(PropertyName.of(f[1]), f[2], PropertySource.parse(f[3]));
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
        return get(name, PropertyName.of(prop)).filter(Property::hasValue).map(Property::value);
    }

    public Map<String, Map<PropertyName, Property>> asMap() {
        return rows;
    }

    public int size() {
        return rows.size();
    }
}
