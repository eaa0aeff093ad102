package com.zed.beam;

import com.zed.exec.Connector;
import com.zed.secret.Secret;

import java.util.Objects;

/**
 * Where and how to reach an Erlang node over distribution.
 *
 * @param node      the node's full name, {@code name@host}, exactly as the node was started
 * @param cookie    its cookie
 * @param host      the address to connect to, for epmd and for the distribution port, as seen from where
 *                  {@code connector} connects from (the target, for an SSH connector); usually the host
 *                  part of {@code node}
 * @param epmdPort  the port epmd answers on at {@code host} (4369). The distribution port is whatever
 *                  epmd reports, connected to on {@code host}.
 * @param connector opens the connections: {@link Connector#direct()} from this host, or the target's
 *                  SSH connector ({@link com.zed.exec.CommandRunner#connector()})
 */
public record BeamTarget(String node, Secret cookie, String host, int epmdPort, Connector connector) {

    public static final int DEFAULT_EPMD_PORT = 4369;

    public BeamTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(connector, "connector");
        int at = node.indexOf('@');
        if (at <= 0 || at == node.length() - 1 || node.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("node name must be name@host, got '" + node + "'");
        }
        if (epmdPort <= 0 || epmdPort > 65535) {
            throw new IllegalArgumentException("epmd port out of range: " + epmdPort);
        }
    }

    /** Connections straight from this host to {@code host}. */
    public BeamTarget(String node, Secret cookie, String host, int epmdPort) {
        this(node, cookie, host, epmdPort, Connector.direct());
    }

    /** Reaches the node at its own host on epmd's standard port, from this host. */
    public static BeamTarget of(String node, Secret cookie) {
        return new BeamTarget(node, cookie, hostPart(node), DEFAULT_EPMD_PORT);
    }

    /**
     * Reaches the node the way another Erlang node on its machine would: epmd at the node's own host
     * part, port {@code epmdPort}, and the distribution port there, all connected through
     * {@code connector} (so {@code tiny@127.0.0.1} is the target's loopback).
     */
    public static BeamTarget via(Connector connector, String node, Secret cookie, int epmdPort) {
        return new BeamTarget(node, cookie, hostPart(node), epmdPort, connector);
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
        return node + " (epmd " + host + ":" + epmdPort + via() + ", cookie " + cookie + ")";
    }

    /** {@code ""} for a direct connector, else {@code " via ssh root@h:p"}. */
    String via() {
        return connector == Connector.direct() ? "" : " via " + connector.describe();
    }
}
