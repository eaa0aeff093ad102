package com.zed.zfs;

/** Output from zfs that Zed could not understand (an unexpected format or version). */
public class ZfsParseException extends RuntimeException {
    public ZfsParseException(String message) {
        super(message);
    }
}
