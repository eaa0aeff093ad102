package com.zed.secret;

import com.zed.model.SecretRef;

/** A secret that cannot be resolved. The message names the reference (variable or path), never a value. */
public final class SecretException extends RuntimeException {

    private final transient SecretRef ref;

    public SecretException(SecretRef ref, String message) {
        super(ref + ": " + message);
        this.ref = ref;
    }

    public SecretException(SecretRef ref, String message, Throwable cause) {
        super(ref + ": " + message, cause);
        this.ref = ref;
    }

    public SecretRef ref() {
        return ref;
    }
}
