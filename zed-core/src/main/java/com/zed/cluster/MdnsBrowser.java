package com.zed.cluster;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@link Discovery.Browser} over mDNS with jmdns: one responder per IPv4 address of every interface
 * that is up and multicast-capable (loopback too, when it has multicast on), or of the interface
 * named; each listens for {@code service} for the whole wait and asks every instance it hears for its
 * SRV, TXT and address records. What the instances answered within the wait is returned.
 */
final class MdnsBrowser implements Discovery.Browser {

    @Override
    public List<Discovery.Announcement> browse(String service, Duration wait, Optional<String> networkInterface)
            throws IOException {
        List<InetAddress> addresses = addresses(networkInterface);
        if (addresses.isEmpty()) {
            throw new IOException(networkInterface.map(n -> "interface " + n + " is not up, has no IPv4 address or no multicast")
                    .orElse("no network interface is up with an IPv4 address and multicast"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(addresses.size(), r -> {
            Thread t = new Thread(r, "zed-mdns-browse");
            t.setDaemon(true);
            return t;
        });
        try {
            var futures = new ArrayList<Future<List<Discovery.Announcement>>>();
            for (InetAddress a : addresses) {
                futures.add(pool.submit(() -> browse(a, service, wait)));
            }
            var out = new ArrayList<Discovery.Announcement>();
            IOException failure = null;
            int worked = 0;
            for (var f : futures) {
                try {
                    out.addAll(f.get());
                    worked++;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while browsing " + service);
                }
            }
            if (worked == 0 && failure != null) {
                throw failure;
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** What answers on one interface address within {@code wait}. */
    private static List<Discovery.Announcement> browse(InetAddress address, String service, Duration wait) throws IOException {
        JmDNS mdns = JmDNS.create(address, "zed-discover-" + ProcessHandle.current().pid());
        try {
            Map<String, ServiceInfo> resolved = new ConcurrentHashMap<>();
            ServiceListener listener = new ServiceListener() {
                @Override
                public void serviceAdded(ServiceEvent e) {
                    mdns.requestServiceInfo(e.getType(), e.getName(), true);
                }

                @Override
                public void serviceRemoved(ServiceEvent e) {
                    resolved.remove(e.getName());
                }

                @Override
                public void serviceResolved(ServiceEvent e) {
                    resolved.put(e.getName(), e.getInfo());
                }
            };
            mdns.addServiceListener(service, listener);
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while browsing " + service);
            }
            mdns.removeServiceListener(service, listener);
            var out = new ArrayList<Discovery.Announcement>();
            for (ServiceInfo info : resolved.values()) {
                out.add(announcement(info));
            }
            return out;
        } finally {
            closeLater(mdns);
        }
    }

    /**
     * jmdns's close says goodbye for the responder's own host record over about two seconds: the answers
     * are in by then, so it finishes in the background (a daemon thread) rather than delaying the run.
     */
    private static void closeLater(JmDNS mdns) {
        Thread t = new Thread(() -> {
            try {
                mdns.close();
            } catch (IOException | RuntimeException e) {
                // nothing depends on the goodbye
            }
        }, "zed-mdns-close");
        t.setDaemon(true);
        t.start();
    }

    static Discovery.Announcement announcement(ServiceInfo info) {
        var addresses = new ArrayList<String>();
        for (Inet4Address a : info.getInet4Addresses()) {
            addresses.add(a.getHostAddress());
        }
        Collections.sort(addresses);
        var txt = new LinkedHashMap<String, String>();
        for (Enumeration<String> names = info.getPropertyNames(); names.hasMoreElements(); ) {
            String key = names.nextElement();
            byte[] value = info.getPropertyBytes(key);
            // RFC 6763 6.4: keys are case-insensitive; the first of a repeated key counts.
            txt.putIfAbsent(key.toLowerCase(Locale.ROOT), value == null ? "" : new String(value, StandardCharsets.UTF_8));
        }
        return new Discovery.Announcement(info.getName(), addresses, info.getPort(), txt);
    }

    /** IPv4 addresses of the interfaces to browse on: up and multicast-capable; only {@code name} when given. */
    static List<InetAddress> addresses(Optional<String> name) throws SocketException {
        var out = new ArrayList<InetAddress>();
        List<NetworkInterface> nifs = name.isPresent()
                ? Optional.ofNullable(NetworkInterface.getByName(name.get())).map(List::of).orElse(List.of())
                : Collections.list(NetworkInterface.getNetworkInterfaces());
        for (NetworkInterface nif : nifs) {
            if (!nif.isUp() || !nif.supportsMulticast()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    out.add(a);
                }
            }
        }
        return out;
    }
}
