package com.zed.model;

/**
 * A reference to a secret, resolved only at apply time. Its {@link #toString()} names the
 * reference, never the value, so it is safe in plans, logs and JSON.
 */
public sealed interface SecretRef permits SecretRef.Env, SecretRef.File {

    /** {@code env(NAME)}: the value of an environment variable of the zed process. */
    record Env(String name) implements SecretRef {
        @Override
        public String toString() {
            return "env(" + name + ")";
        }
    }

    /** {@code file(PATH)}: the content of a file (trailing newline stripped). */
    record File(String path) implements SecretRef {
        @Override
        public String toString() {
            return "file(" + path + ")";
        }
    }
}
