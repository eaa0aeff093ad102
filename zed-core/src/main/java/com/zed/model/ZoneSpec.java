package com.zed.model;

import java.util.List;
import java.util.Map;

/** An illumos zone (grammar and model only; its converge comes with the platform work). */
public record ZoneSpec(String name, String dataset, List<String> apps, Map<String, String> params, SourcePos pos) {
    public ZoneSpec {
        apps = List.copyOf(apps);
        params = Map.copyOf(params);
    }
}
