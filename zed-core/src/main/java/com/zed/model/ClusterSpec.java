package com.zed.model;

import java.util.List;

/** Several hosts deployed together (grammar and model only; behaviour comes with multi-host). */
public record ClusterSpec(String name, List<HostSpec> hosts, String strategy, SourcePos pos) {
    public ClusterSpec {
        hosts = List.copyOf(hosts);
    }

    /** One host: a name, and how to reach it ({@code user@host[:port]}). */
    public record HostSpec(String name, String ssh, SourcePos pos) { }
}
