package com.zed.dsl

import com.zed.model.ClusterSpec
import com.zed.model.InvalidDeploymentException
import com.zed.model.SourcePos
import com.zed.model.Validator
import spock.lang.Specification

import static com.zed.dsl.BadScriptsSpec.d
import static com.zed.dsl.BadScriptsSpec.where
import static com.zed.model.Problem.Kind.*

/** {@code discover} in a cluster: the model it builds, and the Validator's rules on it, with positions. */
class DiscoverDslSpec extends Specification {

    def "discover with labels, wait and service"() {
        when:
        def d = DeployScripts.parse('edge.groovy', d(
                "cluster('edge') {",
                "    host 'fra', ssh: 'fra'",
                "    discover labels: ['prod', 'eu'], wait: 1500, service: '_zedlab._tcp.local.'",
                "}"))

        then:
        def c = d.cluster().get()
        c.hosts()*.name() == ['fra']
        c.discover().get() == new ClusterSpec.Discover('_zedlab._tcp.local.', ['prod', 'eu'], 1500, new SourcePos('edge.groovy', 4, 5))
    }

    def "discover() takes every default; a cluster may have no declared host when it discovers"() {
        when:
        def c = DeployScripts.parse('edge.groovy', d("cluster('edge') { discover() }")).cluster().get()

        then:
        c.hosts().isEmpty()
        c.discover().get().service() == '_zed._tcp.local.'
        c.discover().get().labels() == []
        c.discover().get().waitMillis() == 3000
    }

    def "a cluster without discover has none"() {
        expect:
        DeployScripts.parse('edge.groovy', d("cluster('edge') { host 'a', ssh: 'h' }")).cluster().get().discover().empty
    }

    def "#what: #kind at #at"() {
        when:
        DeployScripts.parse('bad.groovy', script)

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().collect { where(it) } == ["$at $kind $field"]

        where:
        what                          | script                                                                               | at     | kind          | field
        'wait below 100 ms'           | d("cluster('c') { discover wait: 10 }")                                              | '2:31' | OUT_OF_RANGE  | 'discover.wait'
        'wait above a minute'         | d("cluster('c') { discover wait: 600000 }")                                          | '2:31' | OUT_OF_RANGE  | 'discover.wait'
        'service not a DNS-SD type'   | d("cluster('c') { discover service: 'zed' }")                                        | '2:34' | INVALID_VALUE | 'discover.service'
        'service with a space'        | d("cluster('c') { discover service: '_z d._tcp.local.' }")                           | '2:34' | INVALID_VALUE | 'discover.service'
        'label with a space'          | d("cluster('c') { discover labels: ['p rod'] }")                                     | '2:33' | INVALID_VALUE | 'discover.labels'
        'discover twice'              | d("cluster('c') { discover(); discover wait: 500 }")                                 | '2:28' | DUPLICATE     | 'discover'
        'wait is a number'            | d("cluster('c') { discover wait: '3s' }")                                            | '2:31' | WRONG_TYPE    | ''
        'unknown named argument'      | d("cluster('c') { discover label: ['prod'] }")                                       | '2:25' | UNKNOWN_VERB  | ''
        'no host and no discover'     | d("cluster('c') { parallel 2 }")                                                     | '2:1'  | MISSING       | 'host'
        'ssh user starting with -'    | d("cluster('c') { host 'a', ssh: '-oProxyCommand@h' }")                               | '2:31' | INVALID_VALUE | 'ssh'
    }

    def "validateDiscover: the same rules for zed discover's options"() {
        expect:
        Validator.validateDiscover(new ClusterSpec.Discover(service, [], wait, new SourcePos('zed discover', 1, 1)))
                .collect { "${it.kind()} ${it.field()}" } == problems

        where:
        service               | wait   || problems
        '_zed._tcp.local.'    | 3000   || []
        '_zed._udp.local.'    | 100    || []
        '_zed._tcp.local'     | 3000   || ['INVALID_VALUE discover.service']
        '_zed._tcp.local.'    | 99     || ['OUT_OF_RANGE discover.wait']
        '_a-very-long-name-x._tcp.local.' | 3000 || ['INVALID_VALUE discover.service']
    }
}
