package com.zed.cluster

import groovy.transform.CompileStatic

import javax.jmdns.JmDNS
import javax.jmdns.ServiceInfo
import java.util.concurrent.TimeUnit

/**
 * A child JVM for {@link MdnsDiscoverySpec}: announces DNS-SD instances with jmdns on one address
 * (in the spec's network namespace), prints "ready", and keeps announcing until its stdin closes or
 * two minutes pass. Arguments: the address, the service type, then instances as
 * {@code name|port|key=value<US>key=value}, TXT attributes apart by the ASCII unit separator (U+001F),
 * so that a value may hold anything else: spaces, quotes, ';', newlines.
 */
@CompileStatic
final class MdnsAnnouncer {
    static void main(String[] args) {
        def mdns = JmDNS.create(InetAddress.getByName(args[0]), 'zed-announcer')
        String type = args[1]
        for (String spec : args.drop(2)) {
            def parts = spec.split('\\|', 3)
            def txt = new LinkedHashMap<String, String>()
            if (parts.length > 2 && !parts[2].isEmpty()) {
                parts[2].split('\u001f').each { String kv ->
                    def p = kv.split('=', 2)
                    txt[p[0]] = p.length > 1 ? p[1] : ''
                }
            }
            mdns.registerService(ServiceInfo.create(type, parts[0], Integer.parseInt(parts[1]), 0, 0, txt))
        }
        println 'ready'
        System.out.flush()
        def stop = Thread.start { while (System.in.read() >= 0) { } }
        stop.join(TimeUnit.MINUTES.toMillis(2))
        mdns.unregisterAllServices()
        mdns.close()
        System.exit(0)
    }
}
