package com.zed.zfs;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A snapshot with the facts Zed needs to order and prune them, and its user properties
 * (those set on the snapshot itself, source local or received — not inherited from its dataset).
 */
public record SnapshotInfo(SnapshotName name, String guid, long createTxg, Instant creation, long used,
                           long userRefs, Map<PropertyName, String> userProperties) {

    public SnapshotInfo {
        userProperties = Map.copyOf(userProperties);
    }

    public Optional<String> user(PropertyName p) {
        return Optional.ofNullable(userProperties.get(p));
    }

    /** True when Zed made this snapshot (it carries a {@code com.zed:} property of its own). */
    public boolean isZeds() {
        return userProperties.keySet().stream().anyMatch(PropertyName::isZed);
    }

    public boolean isHeld() {
        return userRefs > 0;
    }

    /** Parses the legacy {@code zfs get -Hp -o name,property,value,source -t snapshot all ...} layout; oldest first. */
    public static java.util.List<SnapshotInfo> parse(String zfsGetOutput) {
        return from(PropertyTable.parse(zfsGetOutput));
    }

    /** Snapshots from a table of their properties ({@code all}, or at least guid, createtxg, creation, used, userrefs); oldest first. */
    public static java.util.List<SnapshotInfo> from(PropertyTable table) {
        var out = new java.util.ArrayList<SnapshotInfo>(table.size());
        table.asMap().forEach((n, p) -> out.add(from(n, p)));
        out.sort(java.util.Comparator.comparingLong(SnapshotInfo::createTxg).thenComparing(SnapshotInfo::name));
        return out;
    }

    static SnapshotInfo from(String name, Map<PropertyName, Property> props) {
        var user = new TreeMap<PropertyName, String>();
        props.values().stream()
                .filter(p -> p.name().isUser() && p.source().isExplicit())
                .forEach(p -> user.put(p.name(), p.value()));
        return new SnapshotInfo(SnapshotName.read(name),
                req(name, props, "guid"),
                Long.parseLong(req(name, props, "createtxg")),
                Instant.ofEpochSecond(Long.parseLong(req(name, props, "creation"))),
                Long.parseLong(req(name, props, "used")),
                Long.parseLong(req(name, props, "userrefs")),
                user);
    }

    private static String req(String name, Map<PropertyName, Property> props, String p) {
        Property v = props.get(PropertyName.of(p));
        if (v == null) {
            throw new ZfsParseException("snapshot " + name + " has no '" + p + "' in zfs get output");
        }
        return v.value();
    }
}
