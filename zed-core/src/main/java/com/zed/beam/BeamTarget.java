package com.zed.beam;

import com.zed.secret.Secret;

import java.util.Objects;

/**
 * Where and how to reach an Erlang node over distribution.
 *
 * @param node     the node's full name, {@code name@host}, exactly as the node was started
 * @param cookie   its cookie
 * @param host     the address to open sockets to, for epmd and for the distribution port; usually the
 *                 host part of {@code node}, but e.g. {@code 127.0.0.1} when the node runs in a VM whose
 *                 ports are forwarded to the host
 * @param epmdPort the port epmd answers on at {@code host} (4369 unless forwarded elsewhere). The
 *                 distribution port is whatever epmd reports and must be reachable on {@code host}
 *                 under the same number.
 */
public record BeamTarget(String node, Secret cookie, String host, int epmdPort) {

    public static final int DEFAULT_EPMD_PORT = 4369;

    public BeamTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(host, "host");
        int at = node.indexOf('@');
        if (at <= 0 || at == node.length() - 1 || node.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("node name must be name@host, got '" + node + "'");
        }
        if (epmdPort <= 0 || epmdPort > 65535) {
            throw new IllegalArgumentException("epmd port out of range: " + epmdPort);
        }
    }

    /** Reaches the node at its own host on epmd's standard port. */
    public static BeamTarget of(String node, Secret cookie) {
        return new BeamTarget(node, cookie, hostPart(node), DEFAULT_EPMD_PORT);
    }

    /** The part before {@code @}: the name epmd knows the node by. */
    public String alive() {
        return node.substring(0, node.indexOf('@'));
    }

    /** The part after {@code @}. */
    public String nodeHost() {
        return hostPart(node);
    }

    /** Long names ({@code -name a@b.c} or {@code a@127.0.0.1}) have a dot in the host part. */
    public boolean longNames() {
        return nodeHost().contains(".");
    }

    private static String hostPart(String node) {
        return node.substring(node.indexOf('@') + 1);
    }

    /** Names the node and where it is reached; the cookie shows only as its reference. */
    @Override
    public String toString() {
        return node + " (epmd " + host + ":" + epmdPort + ", cookie " + cookie + ")";
    }
}
