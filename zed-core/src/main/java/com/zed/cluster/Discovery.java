package com.zed.cluster;

import com.zed.model.ClusterSpec;
import com.zed.model.Problem;
import com.zed.model.SourcePos;
import com.zed.model.Validator;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Cluster hosts found at run time: machines that announce a DNS-SD service ({@code _zed._tcp.local.}
 * by default) over mDNS. Each answering instance becomes a {@link ClusterSpec.HostSpec}: its instance
 * name is the host's name, {@code ssh:} is {@code [user@]address:port} from its address and SRV port
 * and its TXT {@code user=}, its labels come from TXT {@code labels=a,b} and its pool from TXT
 * {@code pool=}.
 *
 * <p>What a network says is not trusted: every host is checked by {@link Validator#validateHost} before
 * it is used, and one that breaks a rule (a name with a space, a TXT value with a quote, a {@code ;}, a
 * newline or a leading {@code -}) is refused with its reason, never passed on. Discovery only says where
 * a host is; the SSH layer still verifies its host key against known_hosts.
 */
public final class Discovery {

    /** The network side: who answers for {@code service} within {@code wait}, on every multicast interface or the one named. */
    public interface Browser {
        List<Announcement> browse(String service, Duration wait, Optional<String> networkInterface) throws IOException;
    }

    /**
     * One DNS-SD service instance as it answered: its instance name, the IPv4 addresses of its SRV
     * target, the SRV port and its TXT attributes (keys in lower case, values as text; an attribute
     * without a value is "").
     */
    public record Announcement(String instance, List<String> addresses, int port, Map<String, String> txt) {
        public Announcement {
            addresses = List.copyOf(addresses);
            txt = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(txt));
        }
    }

    /** An instance that answered but is not used, and why. */
    public record Refusal(String instance, String reason) {
        @Override
        public String toString() {
            return "'" + printable(instance) + "': " + reason;
        }
    }

    /** Hosts usable in a cluster, by name; and the instances refused. */
    public record Found(List<ClusterSpec.HostSpec> hosts, List<Refusal> refused) {
        public Found {
            hosts = List.copyOf(hosts);
            refused = List.copyOf(refused);
        }
    }

    /** A host from one announcement, or why there is none. */
    public record Outcome(Optional<ClusterSpec.HostSpec> host, Optional<Refusal> refusal) { }

    private final Browser browser;

    public Discovery(Browser browser) {
        this.browser = browser;
    }

    /** Discovery over mDNS with jmdns. */
    public static Discovery mdns() {
        return new Discovery(new MdnsBrowser());
    }

    /** Browses {@code service} for {@code wait} and returns the hosts that answered (positions: {@code pos}). */
    public Found find(String service, Duration wait, Optional<String> networkInterface, SourcePos pos) throws IOException {
        return hosts(browser.browse(service, wait, networkInterface), pos);
    }

    /**
     * The cluster with its discovered hosts after the declared ones, when it has {@code discover}:
     * browsed, filtered by discover's labels, without those that are a declared host. Refused instances
     * go to {@code warn}. A cluster without {@code discover} is returned as it is, and nothing is browsed.
     */
    public ClusterSpec expand(ClusterSpec c, Consumer<String> warn) {
        if (c.discover().isEmpty()) {
            return c;
        }
        var d = c.discover().get();
        Found found;
        try {
            found = find(d.service(), Duration.ofMillis(d.waitMillis()), Optional.empty(), d.pos());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot browse " + d.service() + " for cluster '" + c.name() + "': "
                    + e.getMessage(), e);
        }
        found.refused().forEach(r -> warn.accept("discover: refused " + r));
        return merge(c, found);
    }

    /** {@code c} with the {@code found} hosts that carry discover's labels and are not a declared host, in name order. */
    public static ClusterSpec merge(ClusterSpec c, Found found) {
        List<String> labels = c.discover().map(ClusterSpec.Discover::labels).orElse(List.of());
        var more = new ArrayList<ClusterSpec.HostSpec>();
        for (ClusterSpec.HostSpec h : found.hosts()) {
            if (!h.labels().containsAll(labels)) {
                continue;
            }
            boolean declared = c.hosts().stream().anyMatch(x -> x.name().equals(h.name())
                    || machine(x.ssh()).equals(machine(h.ssh())));
            if (!declared) {
                more.add(h);
            }
        }
        return c.withHosts(more);
    }

    /**
     * The hosts of {@code announced}, sorted by name: each checked on its own ({@link #host}); an
     * instance heard twice (two interfaces, two answers) kept once; two names for one address and port
     * keep the first name.
     */
    public static Found hosts(List<Announcement> announced, SourcePos pos) {
        var refused = new ArrayList<Refusal>();
        var byName = new TreeMap<String, ClusterSpec.HostSpec>();
        var sorted = new ArrayList<>(announced);
        sorted.sort(Comparator.comparing((Announcement a) -> String.valueOf(a.instance()))
                .thenComparing(a -> String.join(",", a.addresses())).thenComparingInt(Announcement::port));
        for (Announcement a : sorted) {
            Outcome o = host(a, pos);
            o.refusal().ifPresent(refused::add);
            o.host().ifPresent(h -> {
                var before = byName.get(h.name());
                if (before == null) {
                    byName.put(h.name(), h);
                } else if (!before.equals(h)) {
                    refused.add(new Refusal(a.instance(), "announced again differently (" + h.ssh() + "); kept "
                            + before.ssh()));
                }
            });
        }
        var hosts = new ArrayList<ClusterSpec.HostSpec>();
        var machines = new LinkedHashMap<String, String>();
        for (ClusterSpec.HostSpec h : byName.values()) {
            String other = machines.putIfAbsent(machine(h.ssh()), h.name());
            if (other != null) {
                refused.add(new Refusal(h.name(), "is " + h.ssh() + ", already found as '" + other + "'"));
            } else {
                hosts.add(h);
            }
        }
        return new Found(hosts, refused);
    }

    /** The host one announcement describes, if every part of it passes the Validator's host rules. */
    public static Outcome host(Announcement a, SourcePos pos) {
        if (a.instance() == null || a.instance().isEmpty()) {
            return refuse(a, "no instance name");
        }
        if (a.addresses().isEmpty()) {
            return refuse(a, "no IPv4 address answered for it");
        }
        if (a.port() < 1 || a.port() > 65535) {
            return refuse(a, "port " + a.port() + " is not a TCP port");
        }
        String user = a.txt().get("user");
        String labels = a.txt().get("labels");
        String pool = a.txt().get("pool");
        String address = a.addresses().stream().sorted().findFirst().orElseThrow();
        String ssh = (user == null ? "" : user + "@") + address + ":" + a.port();
        List<String> words = labels == null || labels.isEmpty() ? List.of() : List.of(labels.split(",", -1));
        var h = new ClusterSpec.HostSpec(a.instance(), ssh, words, Optional.ofNullable(pool), Map.of(), pos);
        List<Problem> problems = Validator.validateHost(h);
        if (!problems.isEmpty()) {
            return refuse(a, problems.stream().map(p -> p.field().setting() + ": " + printable(p.message()))
                    .collect(Collectors.joining("; ")));
        }
        return new Outcome(Optional.of(h), Optional.empty());
    }

    private static Outcome refuse(Announcement a, String why) {
        return new Outcome(Optional.empty(), Optional.of(new Refusal(String.valueOf(a.instance()), why)));
    }

    /** Where an ssh target points, as host:port (port 22 when absent), whoever logs in: one machine, however named. */
    static String machine(String ssh) {
        if (ssh == null) {
            return "";
        }
        String s = ssh.substring(ssh.indexOf('@') + 1).toLowerCase(Locale.ROOT);
        return s.matches(".*:\\d{1,5}") ? s : s + ":22";
    }

    /** A value heard on the network, made safe to print on one line: control characters escaped, at most 200 characters. */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        var b = new StringBuilder();
        int i = 0;
        for (; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return i < s.length() ? b + "..." : b.toString();
    }
}
