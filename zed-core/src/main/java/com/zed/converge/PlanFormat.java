package com.zed.converge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plan for people ({@code + ~ -} diff) and for machines (a JSON-ready map). */
public final class PlanFormat {
    private PlanFormat() {
    }

    public static String text(Plan plan) {
        var b = new StringBuilder();
        if (plan.isEmpty()) {
            return "No changes: pool '" + plan.pool() + "' matches deploy '" + plan.deploy() + "'.\n";
        }
        b.append("Plan for deploy '").append(plan.deploy()).append("' on pool '").append(plan.pool()).append("':\n");
        for (Step s : plan.steps()) {
            if (s instanceof Step.CreateDataset c) {
                b.append("+ dataset ").append(c.dataset()).append('\n');
                new java.util.TreeMap<>(c.properties()).forEach((k, v) ->
                        b.append("    + ").append(k).append(" = ").append(v).append('\n'));
            } else if (s instanceof Step.SetProperties p) {
                b.append("~ dataset ").append(p.dataset()).append('\n');
                for (Step.PropertyChange ch : p.changes()) {
                    if (ch.from().isEmpty()) {
                        b.append("    + ").append(ch.property()).append(" = ").append(ch.to()).append('\n');
                    } else {
                        b.append("    ~ ").append(ch.property()).append(" = ").append(ch.from().get())
                                .append(" → ").append(ch.to());
                        if (!ch.fromSource().equals("local")) {
                            b.append("   (was ").append(ch.fromSource()).append(')');
                        }
                        b.append('\n');
                    }
                }
            } else if (s instanceof Step.DeployApp a) {
                if (a.fromVersion().isEmpty()) {
                    b.append("+ app ").append(a.app()).append(' ').append(a.toVersion());
                } else if (a.reconfigure()) {
                    b.append("~ app ").append(a.app()).append(' ').append(a.toVersion()).append(" (redeploy)");
                } else {
                    b.append("~ app ").append(a.app()).append(' ').append(a.fromVersion().get()).append(" → ").append(a.toVersion());
                }
                b.append(" on ").append(a.dataset()).append(a.recordOnly() ? " (record only: no release is deployed)" : "")
                        .append('\n');
                a.reasons().forEach(r -> b.append("    ~ ").append(r).append('\n'));
            }
        }
        long create = plan.count(Step.CreateDataset.class);
        long change = plan.count(Step.SetProperties.class);
        long apps = plan.count(Step.DeployApp.class);
        b.append("Plan: ").append(create).append(" dataset(s) to create, ").append(change)
                .append(" to change, ").append(apps).append(" app(s) to deploy.\n");
        return b.toString();
    }

    public static Map<String, Object> json(Plan plan) {
        var m = new LinkedHashMap<String, Object>();
        m.put("deploy", plan.deploy());
        m.put("pool", plan.pool().value());
        m.put("changes", !plan.isEmpty());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step s : plan.steps()) {
            var j = new LinkedHashMap<String, Object>();
            j.put("dataset", s.dataset().value());
            if (s instanceof Step.CreateDataset c) {
                j.put("op", "create");
                var props = new java.util.TreeMap<String, String>();
                c.properties().forEach((k, v) -> props.put(k.value(), v));
                j.put("properties", props);
            } else if (s instanceof Step.SetProperties p) {
                j.put("op", "set");
                var changes = new ArrayList<Map<String, Object>>();
                for (Step.PropertyChange ch : p.changes()) {
                    var c = new LinkedHashMap<String, Object>();
                    c.put("property", ch.property().value());
                    c.put("from", ch.from().orElse(null));
                    c.put("fromSource", ch.fromSource());
                    c.put("to", ch.to());
                    changes.add(c);
                }
                j.put("changes", changes);
            } else if (s instanceof Step.DeployApp a) {
                j.put("op", "deploy-app");
                j.put("app", a.app());
                j.put("fromVersion", a.fromVersion().orElse(null));
                j.put("toVersion", a.toVersion());
                j.put("reasons", a.reasons());
                j.put("recordOnly", a.recordOnly());
            }
            steps.add(j);
        }
        m.put("steps", steps);
        m.put("summary", plan.summary());
        return m;
    }
}
