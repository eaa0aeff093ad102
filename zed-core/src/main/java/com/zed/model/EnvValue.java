package com.zed.model;

/** A value handed to a release's environment: literal text, or a secret resolved at apply time. */
public sealed interface EnvValue permits EnvValue.Literal, EnvValue.Secret {

    record Literal(String value) implements EnvValue {
        @Override
        public String toString() {
            return value;
        }
    }

    /** Printed as its reference ({@code env(DB_PASSWORD)}), never as the value. */
    record Secret(SecretRef ref) implements EnvValue {
        @Override
        public String toString() {
            return ref.toString();
        }
    }
}
