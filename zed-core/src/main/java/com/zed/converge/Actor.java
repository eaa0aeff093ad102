package com.zed.converge;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who runs Zed, for the audit log: {@code user@host}. */
public record Actor(String user, String host) {

    public static Actor current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
        return new Actor(System.getProperty("user.name", "unknown"), host);
    }

    @Override
    public String toString() {
        return user + "@" + host;
    }
}
