package com.zed.model;

/** One thing wrong with a deploy script: where, which field, and why, in one line. */
public record Problem(SourcePos pos, String field, String message) {
    @Override
    public String toString() {
        return pos + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
