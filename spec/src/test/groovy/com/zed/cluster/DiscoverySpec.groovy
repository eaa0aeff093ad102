package com.zed.cluster

import com.zed.model.ClusterSpec
import com.zed.model.SourcePos
import spock.lang.Specification

/**
 * What an mDNS answer becomes: a cluster host, or a refusal with its reason. The network is not
 * trusted: a TXT value that would reach the ssh target, a label or a pool is checked by the Validator's
 * host rules first.
 */
class DiscoverySpec extends Specification {
    static final SourcePos AT = new SourcePos('edge.groovy', 7, 5)

    static Discovery.Announcement ann(String instance, Map txt = [:], List<String> addresses = ['10.0.0.7'], int port = 22) {
        new Discovery.Announcement(instance, addresses, port, txt as Map<String, String>)
    }

    def "#instance with #txt on #addresses:#port is host #ssh, labels #labels, pool #pool"() {
        when:
        def o = Discovery.host(ann(instance, txt, addresses, port), AT)

        then:
        o.refusal().empty
        def h = o.host().get()
        h.name() == instance
        h.ssh() == ssh
        h.labels() == labels
        h.pool() == Optional.ofNullable(pool)
        h.env().isEmpty()
        h.pos() == AT

        where:
        instance | txt                                          | addresses                 | port || ssh                        | labels          | pool
        'fra'    | [:]                                          | ['10.0.0.7']              | 22   || '10.0.0.7:22'              | []              | null
        'fra'    | [user: 'deploy']                             | ['10.0.0.7']              | 2222 || 'deploy@10.0.0.7:2222'     | []              | null
        'ams-2'  | [user: 'zed', labels: 'prod,eu', pool: 'tank'] | ['192.168.1.20']        | 22   || 'zed@192.168.1.20:22'      | ['prod', 'eu']  | 'tank'
        'lab.1'  | [labels: 'staging']                          | ['10.0.0.9', '10.0.0.10'] | 22   || '10.0.0.10:22'             | ['staging']     | null
        'x'      | [labels: '', txtvers: '1', path: '/ignored'] | ['127.0.0.1']             | 65535 || '127.0.0.1:65535'         | []              | null
    }

    def "refused, never used: #why"() {
        when:
        def o = Discovery.host(ann(instance, txt, addresses, port), AT)

        then:
        o.host().empty
        o.refusal().get().instance() == instance
        o.refusal().get().reason().startsWith(field)

        and: 'the reason prints on one line'
        !o.refusal().get().toString().contains('\n')

        where:
        why                                 | instance           | txt                                        | addresses    | port  || field
        'instance name with a space'        | 'My Host'          | [:]                                        | ['10.0.0.7'] | 22    || 'host'
        'instance name with a newline'      | 'a\nb'             | [:]                                        | ['10.0.0.7'] | 22    || 'host'
        'instance name starting with -'     | '-oProxyCommand'   | [:]                                        | ['10.0.0.7'] | 22    || 'host'
        'user with a space'                 | 'fra'              | [user: 'root x']                           | ['10.0.0.7'] | 22    || 'ssh'
        'user with a ;'                     | 'fra'              | [user: 'root;reboot']                      | ['10.0.0.7'] | 22    || 'ssh'
        'user with a quote'                 | 'fra'              | [user: "ro'ot"]                            | ['10.0.0.7'] | 22    || 'ssh'
        'user with a double quote'          | 'fra'              | [user: 'ro"ot']                            | ['10.0.0.7'] | 22    || 'ssh'
        'user with a newline'               | 'fra'              | [user: 'root\nHost evil']                  | ['10.0.0.7'] | 22    || 'ssh'
        'user with a leading -'             | 'fra'              | [user: '-oProxyCommand']                   | ['10.0.0.7'] | 22    || 'ssh'
        'user with an @ (another host)'     | 'fra'              | [user: 'root@evil.example']                | ['10.0.0.7'] | 22    || 'ssh'
        'user with a : (another port)'      | 'fra'              | [user: 'root:2222']                        | ['10.0.0.7'] | 22    || 'ssh'
        'user present without a value'      | 'fra'              | [user: '']                                 | ['10.0.0.7'] | 22    || 'ssh'
        'undecodable bytes in user'         | 'fra'              | [user: 'r\uFFFDot']                        | ['10.0.0.7'] | 22    || 'ssh'
        'label with a space'                | 'fra'              | [labels: 'prod, eu']                       | ['10.0.0.7'] | 22    || 'labels'
        'label with a ;'                    | 'fra'              | [labels: 'prod;rm']                        | ['10.0.0.7'] | 22    || 'labels'
        'empty label between commas'        | 'fra'              | [labels: 'prod,,eu']                       | ['10.0.0.7'] | 22    || 'labels'
        'label with a leading -'            | 'fra'              | [labels: '-x']                             | ['10.0.0.7'] | 22    || 'labels'
        'pool with a space'                 | 'fra'              | [pool: 'tank x']                           | ['10.0.0.7'] | 22    || 'pool'
        'pool with a newline'               | 'fra'              | [pool: 'tank\n']                           | ['10.0.0.7'] | 22    || 'pool'
        'pool that is a reserved word'      | 'fra'              | [pool: 'mirror']                           | ['10.0.0.7'] | 22    || 'pool'
        'no IPv4 address'                   | 'fra'              | [:]                                        | []           | 22    || 'no IPv4'
        'port 0'                            | 'fra'              | [:]                                        | ['10.0.0.7'] | 0     || 'port'
        'no instance name'                  | ''                 | [:]                                        | ['10.0.0.7'] | 22    || 'no instance'
    }

    def "a refusal's text escapes control characters heard on the network"() {
        expect:
        new Discovery.Refusal('a\nb\u001b[2J', 'x').toString() == "'a\\u000ab\\u001b[2J': x"
        Discovery.printable('x' * 300).length() == 203
        Discovery.printable('x' * 201) == 'x' * 200 + '...'
        Discovery.printable('x' * 200) == 'x' * 200
        Discovery.printable('x' * 199) == 'x' * 199
    }

    def "found hosts are sorted by name; one heard twice is kept once; two names for one machine keep the first by name"() {
        given:
        def heard = [ann('web-2', [labels: 'prod'], ['10.0.0.2']),
                     ann('web-1', [labels: 'prod'], ['10.0.0.1']),
                     ann('web-2', [labels: 'prod'], ['10.0.0.2']),         // the same instance on a second interface
                     ann('alias', [user: 'root'], ['10.0.0.1']),            // web-1's machine again, under another name
                     ann('bad one', [:], ['10.0.0.3']),
                     ann('web-3', [user: 'a b'], ['10.0.0.4'])]

        when:
        def f = Discovery.hosts(heard, AT)

        then:
        f.hosts()*.name() == ['alias', 'web-2']
        f.hosts()*.ssh() == ['root@10.0.0.1:22', '10.0.0.2:22']
        f.refused()*.instance().sort() == ['bad one', 'web-1', 'web-3']
    }

    def "an instance announced again with other values keeps its first (by address) and says so"() {
        when:
        def f = Discovery.hosts([ann('db', [:], ['10.0.0.9']), ann('db', [:], ['10.0.0.8'])], AT)

        then:
        f.hosts()*.ssh() == ['10.0.0.8:22']
        f.refused()*.instance() == ['db']
    }

    def "merge: discovered hosts come after the declared ones, filtered by discover's labels, and a declared host is not added twice"() {
        given:
        def declared = [new ClusterSpec.HostSpec('fra', 'deploy@10.0.0.1:2222', ['prod'], Optional.empty(), AT),
                        new ClusterSpec.HostSpec('ams', '10.0.0.2', ['prod'], Optional.empty(), AT)]
        def c = new ClusterSpec('edge', declared, 'one4all', 'rollback', 1,
                Optional.of(new ClusterSpec.Discover('_zed._tcp.local.', ['prod'], 3000, AT)), AT)
        def found = Discovery.hosts([
                ann('fra', [labels: 'prod'], ['10.9.9.9']),                      // same name as a declared host
                ann('ams-mdns', [labels: 'prod', user: 'zed'], ['10.0.0.2']),    // same machine as 'ams' (port 22)
                ann('zrh', [labels: 'prod,eu'], ['10.0.0.5']),
                ann('ber', [labels: 'prod'], ['10.0.0.4']),
                ann('dev', [labels: 'staging'], ['10.0.0.6']),                  // not prod
                ann('fra-2', [labels: 'prod'], ['10.0.0.1'], 2222)], AT)        // fra's address and port

        when:
        def m = Discovery.merge(c, found)

        then:
        m.hosts()*.name() == ['fra', 'ams', 'ber', 'zrh']
        m.hosts()[0].is(declared[0])
        m.name() == 'edge' && m.discover() == c.discover() && m.parallel() == 1
    }

    def "merge with discover without labels takes every host found"() {
        given:
        def c = new ClusterSpec('c', [], 'one4all', 'rollback', 1,
                Optional.of(new ClusterSpec.Discover('_zed._tcp.local.', [], 3000, AT)), AT)

        expect:
        Discovery.merge(c, Discovery.hosts([ann('b', [labels: 'x']), ann('a', [:], ['10.0.0.8'])], AT)).hosts()*.name() == ['a', 'b']
    }

    def "expand browses only for a cluster with discover, for its service and wait, and reports refusals"() {
        given:
        def calls = []
        def browser = { String service, java.time.Duration wait, Optional<String> nif ->
            calls << [service, wait.toMillis(), nif]
            [ann('b', [labels: 'prod']), ann('x y', [:], ['10.0.0.8'])]
        } as Discovery.Browser
        def warnings = []
        def plain = new ClusterSpec('c', [new ClusterSpec.HostSpec('a', 'h', [], Optional.empty(), AT)], 'one4all', 'rollback', 1, AT)
        def disc = new ClusterSpec('c', plain.hosts(), 'one4all', 'rollback', 1,
                Optional.of(new ClusterSpec.Discover('_zedtest._tcp.local.', ['prod'], 1500, AT)), AT)

        when:
        def same = new Discovery(browser).expand(plain, { warnings << it })
        def more = new Discovery(browser).expand(disc, { warnings << it })

        then:
        same.is(plain)
        calls == [['_zedtest._tcp.local.', 1500L, Optional.empty()]]
        more.hosts()*.name() == ['a', 'b']
        warnings.size() == 1 && warnings[0].contains("'x y'")
    }
}
