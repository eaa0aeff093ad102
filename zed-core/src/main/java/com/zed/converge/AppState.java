package com.zed.converge;

import java.util.List;
import java.util.Optional;

/**
 * An app as the target shows it, for planning: which release {@code current} links to, which one
 * the service really runs, its state, and how the files Zed generates differ from the declared ones
 * ({@code drift}: readable lines that never contain a secret's value).
 *
 * @param observed false for an app whose runtime cannot be looked at (record-only)
 */
public record AppState(boolean observed, Optional<String> linked, Optional<String> running, String service,
                       List<String> drift) {
    public AppState {
        drift = List.copyOf(drift);
    }

    public static final AppState UNOBSERVED = new AppState(false, Optional.empty(), Optional.empty(), "", List.of());
}
