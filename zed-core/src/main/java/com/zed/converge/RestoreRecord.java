package com.zed.converge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zed.zfs.DatasetName;
import com.zed.zfs.Property;
import com.zed.zfs.PropertyName;
import com.zed.zfs.PropertySource;
import com.zed.zfs.PropertyTable;
import com.zed.zfs.PropertyValues;
import com.zed.zfs.Zfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code zfs rollback} restores data, not properties: each before-deploy snapshot carries
 * {@code com.zed:restore}, the dataset's properties the deploy will write, as they were.
 */
public final class RestoreRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RestoreRecord() {
    }

    /**
     * How one property goes back: {@code set} its value, {@code inherit} (it was inherited, default
     * or unset), or {@code received} (zfs inherit -S: back to the value a receive brought).
     */
    public record Restore(String how, String value) {
        static Restore set(String v) {
            return new Restore("set", v);
        }
    }

    /**
     * For each existing dataset the plan touches: every property it will write, as it was before
     * (its local or received value; inherit when it was inherited, default or unset).
     */
    static Map<DatasetName, Map<String, Restore>> of(Plan plan, PropertyTable before, Set<PropertyName> bookkeeping) {
        var out = new LinkedHashMap<DatasetName, Map<String, Restore>>();
        for (DatasetName ds : plan.existingAffected()) {
            var touched = new TreeSet<PropertyName>(bookkeeping);
            for (Step s : plan.steps()) {
                if (!s.dataset().equals(ds)) {
                    continue;
                }
                if (s instanceof Step.SetProperties sp) {
                    sp.changes().forEach(c -> touched.add(c.property()));
                } else if (s instanceof Step.DeployApp) {
                    touched.add(ZedProperties.APP);
                    touched.add(ZedProperties.VERSION);
                    touched.add(ZedProperties.APP_CONFIG);
                }
            }
            var have = before.of(ds.value());
            var m = new TreeMap<String, Restore>();
            for (PropertyName p : touched) {
                Property v = have.get(p);
                if (v != null && v.source().kind() == PropertySource.Kind.RECEIVED) {
                    m.put(p.value(), new Restore("received", v.value()));
                } else if (!PropertyValues.inheritable(p)) {
                    // zfs inherit refuses these (quota, reservation, …): put the value itself back
                    m.put(p.value(), Restore.set(PropertyValues.restoreValue(p, v == null ? null : v.value())));
                } else if (v != null && v.source().kind() == PropertySource.Kind.LOCAL && v.hasValue()) {
                    m.put(p.value(), Restore.set(v.value()));
                } else {
                    m.put(p.value(), new Restore("inherit", null));
                }
            }
            out.put(ds, m);
        }
        return out;
    }

    /**
     * Puts properties back as a restore record says — only those not already as recorded: a
     * property whose change never happened is left alone (for quota and the like, a restore by
     * value would turn a default into a local value: ZFS cannot make it "default" again).
     */
    public static void apply(Zfs zfs, DatasetName ds, Map<String, Restore> props) {
        var names = props.keySet().stream().map(PropertyName::of).toList();
        var now = zfs.properties(ds.value(), names).of(ds.value());
        var set = new TreeMap<PropertyName, String>();
        var inherit = new ArrayList<Map.Entry<String, Restore>>();
        props.forEach((k, r) -> {
            PropertyName p = PropertyName.of(k);
            if (satisfied(p, now.get(p), r)) {
                return;
            }
            if (r.how().equals("set")) {
                set.put(p, r.value());
            } else {
                inherit.add(Map.entry(k, r));
            }
        });
        if (!set.isEmpty()) {
            zfs.set(ds.value(), set);
        }
        inherit.forEach(e -> zfs.inherit(ds.value(), PropertyName.of(e.getKey()), false, e.getValue().how().equals("received")));
    }

    static boolean satisfied(PropertyName p, Property now, Restore r) {
        PropertySource.Kind kind = now == null ? PropertySource.Kind.NONE : now.source().kind();
        return switch (r.how()) {
            case "received" -> kind == PropertySource.Kind.RECEIVED && now.value().equals(r.value());
            case "inherit" -> now == null || (p.isUser() && !now.hasValue())
                    || kind == PropertySource.Kind.INHERITED || kind == PropertySource.Kind.DEFAULT;
            default -> now != null && PropertyValues.same(p, now.value(), r.value())
                    && (kind == PropertySource.Kind.LOCAL
                    || (!PropertyValues.inheritable(p) && kind == PropertySource.Kind.DEFAULT));
        };
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a snapshot's {@code com.zed:restore} record. */
    public static Map<String, Restore> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, Restore>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable com.zed:restore record: " + e.getOriginalMessage(), e);
        }
    }
}
