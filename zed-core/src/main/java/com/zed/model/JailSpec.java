package com.zed.model;

import java.util.List;
import java.util.Map;

/** A FreeBSD jail (grammar and model only; its converge comes with the platform work). */
public record JailSpec(String name, String dataset, List<String> apps, Map<String, String> params, SourcePos pos) {
    public JailSpec {
        apps = List.copyOf(apps);
        params = Map.copyOf(params);
    }
}
