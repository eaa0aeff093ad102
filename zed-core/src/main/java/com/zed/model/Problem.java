package com.zed.model;

import java.util.Objects;

/**
 * One thing wrong with a deploy script: where, which setting ({@link Field}), what kind of mistake
 * ({@link Kind}), and why, in one line. Code and specs tell problems apart by kind and field; the
 * message is for people and may be reworded freely.
 */
public record Problem(SourcePos pos, Field field, Kind kind, String message) {

    public Problem {
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** What kind of mistake a problem is. */
    public enum Kind {
        /** The script cannot be read at all (no such file, unreadable). */
        UNREADABLE,
        /** Malformed text: the Groovy script itself, an Erlang term, a duration. */
        SYNTAX,
        /** A verb, setting, named argument or name that does not exist where it is written. */
        UNKNOWN_VERB,
        /** A value of the wrong type for its verb ({@code keep 'five'}). */
        WRONG_TYPE,
        /** The script threw while it ran. */
        SCRIPT_FAILED,
        /** Something required is absent: a version, a dataset, a nodeName a check needs, an expression. */
        MISSING,
        /** A name that breaks the naming rules (deploy, app, dataset path, property, environment variable). */
        INVALID_NAME,
        /** A value outside the accepted set or form (compression 'fast', a URL scheme, a strategy). */
        INVALID_VALUE,
        /** A number or duration outside its range (distPort 80, keep 0, a zero timeout). */
        OUT_OF_RANGE,
        /** A number too large to be represented ({@code quota '9E'}). */
        OVERFLOW,
        /** Declared or set twice where once is allowed. */
        DUPLICATE,
        /** A reference to something the script does not declare (a dataset, an app). */
        UNKNOWN_REFERENCE,
        /** A name Zed itself uses ({@code RELEASE_COOKIE}). */
        RESERVED,
        /** Two elements that would end up as the same thing on the host (a unit name, a dataset). */
        COLLISION,
        /** A character that would corrupt a unit or environment file (CR, NUL, newline). */
        FORBIDDEN_CHARACTER
    }

    @Override
    public String toString() {
        return pos + ": " + (field.isNone() ? "" : field + ": ") + message;
    }
}
