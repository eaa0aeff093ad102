package com.zed.cli;

import com.zed.cluster.Discovery;
import com.zed.model.ClusterSpec;
import com.zed.model.Problem;
import com.zed.model.SourcePos;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code zed discover}: the hosts that announce the Zed service over mDNS, as a cluster with
 * {@code discover} would use them (name, ssh target, labels, pool), and the instances refused.
 */
@Command(name = "discover", mixinStandardHelpOptions = true,
        description = "List the hosts announcing the Zed service over mDNS (DNS-SD), as a cluster's discover would use them.")
public final class DiscoverCommand implements Callable<Integer> {

    @Option(names = "--service", paramLabel = "TYPE", defaultValue = ClusterSpec.Discover.DEFAULT_SERVICE,
            description = "DNS-SD service type to browse (default: ${DEFAULT-VALUE}).")
    String service;

    @Option(names = "--wait", paramLabel = "MS", defaultValue = "" + ClusterSpec.Discover.DEFAULT_WAIT_MILLIS,
            description = "How long to listen for answers, in ms (default: ${DEFAULT-VALUE}).")
    int waitMillis;

    @Option(names = "--label", paramLabel = "LABEL", description = "Only hosts carrying this label (repeat: all of them).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--interface", paramLabel = "NAME",
            description = "Browse on this network interface only (default: every interface that is up with multicast).")
    String networkInterface;

    @Option(names = "--json", description = "Print the result as JSON on stdout (refusals go there too).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var request = new ClusterSpec.Discover(service, labels, waitMillis, new SourcePos("zed discover", 1, 1));
        List<Problem> problems = com.zed.model.Validator.validateDiscover(request);
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), problems.stream()
                    .map(p -> "--" + p.field().argument() + ": " + p.message()).collect(Collectors.joining("; ")));
        }
        Discovery.Found found = Discovery.mdns().find(service, Duration.ofMillis(waitMillis),
                Optional.ofNullable(networkInterface), request.pos());
        List<ClusterSpec.HostSpec> hosts = found.hosts().stream().filter(h -> h.labels().containsAll(labels)).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            var m = new LinkedHashMap<String, Object>();
            m.put("service", service);
            m.put("waitMillis", waitMillis);
            m.put("hosts", hosts.stream().map(DiscoverCommand::json).toList());
            m.put("refused", found.refused().stream().map(r -> {
                var x = new LinkedHashMap<String, Object>();
                x.put("instance", r.instance());
                x.put("reason", r.reason());
                return x;
            }).toList());
            out.println(ScriptCommand.JSON.writeValueAsString(m));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            found.refused().forEach(r -> err.println("zed: refused " + r));
            err.flush();
            if (hosts.isEmpty()) {
                out.printf("no host%s answered for %s within %d ms%n",
                        labels.isEmpty() ? "" : " carrying " + String.join(" and ", labels), service, waitMillis);
            }
            int w = hosts.stream().mapToInt(h -> h.name().length()).max().orElse(4);
            int s = hosts.stream().mapToInt(h -> h.ssh().length()).max().orElse(4);
            for (ClusterSpec.HostSpec h : hosts) {
                out.printf("%-" + w + "s  %-" + s + "s  %s%s%n", h.name(), h.ssh(),
                        h.labels().isEmpty() ? "-" : String.join(",", h.labels()),
                        h.pool().map(p -> "  pool " + p).orElse(""));
            }
        }
        out.flush();
        return Main.OK;
    }

    private static Map<String, Object> json(ClusterSpec.HostSpec h) {
        var x = new LinkedHashMap<String, Object>();
        x.put("name", h.name());
        x.put("ssh", h.ssh());
        x.put("labels", h.labels());
        x.put("pool", h.pool().orElse(null));
        return x;
    }

    /**
     * A cluster with {@code discover}, with the hosts that answered after its declared ones (the
     * refused ones told on stderr); any other cluster as it is. Used by {@code zed run} and {@code zed diff}.
     */
    static ClusterSpec expand(ClusterSpec c, CommandLine cmd) {
        return Discovery.mdns().expand(c, m -> {
            cmd.getErr().println("zed: " + m);
            cmd.getErr().flush();
        });
    }
}
