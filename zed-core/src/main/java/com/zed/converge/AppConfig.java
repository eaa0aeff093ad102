package com.zed.converge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zed.model.AppSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of an app's declared configuration the target cannot show by itself (pre-commands,
 * health checks), recorded on its dataset as {@code com.zed:app-config} (a JSON list: one line,
 * whatever the arguments hold) so that a change is planned. Never a secret: checks are written by
 * kind and target; environment values live in the env file only.
 */
public final class AppConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppConfig() {
    }

    public static String of(AppSpec app) {
        var parts = new ArrayList<String>();
        app.preCommands().forEach(c -> parts.add("preCommand " + String.join(" ", c)));
        app.health().forEach(h -> parts.add("health " + h));
        try {
            return JSON.writeValueAsString(parts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Readable differences between a recorded and a declared configuration. */
    public static List<String> diff(String recorded, String declared) {
        var had = lines(recorded);
        var want = lines(declared);
        var out = new ArrayList<String>();
        had.stream().filter(l -> !want.contains(l)).forEach(l -> out.add("- " + l));
        want.stream().filter(l -> !had.contains(l)).forEach(l -> out.add("+ " + l));
        return out;
    }

    private static List<String> lines(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            return List.of("(unreadable: " + json + ")");
        }
    }
}
