package com.zed.secret;

import com.zed.model.SecretRef;

import java.util.List;
import java.util.Objects;

/**
 * A resolved secret. Only {@link #reveal()} gives the value; {@link #toString()} names where it came
 * from ({@code Secret[env(RELEASE_COOKIE)]}), so a secret that slips into a log line, a plan, a JSON
 * document or an exception message shows its reference, never its value. Deliberately not a record
 * (a record's accessor and generated methods would expose the value) and without equals/hashCode
 * (comparing secrets is not something callers should need).
 */
public final class Secret {

    private final SecretRef ref;
    private final String value;
    private final List<String> warnings;

    Secret(SecretRef ref, String value, List<String> warnings) {
        this.ref = Objects.requireNonNull(ref, "ref");
        this.value = Objects.requireNonNull(value, "value");
        this.warnings = List.copyOf(warnings);
    }

    /** For callers that already hold the value (tests, or a secret from another source). */
    public static Secret of(SecretRef ref, String value) {
        return new Secret(ref, value, List.of());
    }

    /** Where the value came from; safe to print. */
    public SecretRef ref() {
        return ref;
    }

    /** The value itself: pass it straight to the API that needs it; never log or store it. */
    public String reveal() {
        return value;
    }

    /** Non-fatal problems found while resolving, e.g. a secret file readable by others; never contain the value. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "Secret[" + ref + "]";
    }
}
