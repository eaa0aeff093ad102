package com.zed.beam

import com.zed.model.AppSpec
import com.zed.model.HealthCheckSpec
import com.zed.model.SecretRef
import com.zed.model.SourcePos
import com.zed.secret.Secret
import com.zed.secret.SecretException
import spock.lang.Specification

import java.time.Duration

/** From the model's HealthCheckSpec (and an app's nodeName/cookie) to runnable checks. */
class HealthChecksSpec extends Specification {

    static final SourcePos POS = new SourcePos('zed.groovy', 1, 1)
    def cookie = Secret.of(new SecretRef.Env('RELEASE_COOKIE'), 's3cr3t-' + UUID.randomUUID())
    def beam = new BeamTarget('exmc@127.0.0.1', cookie, '127.0.0.1', 40123)

    def "#spec becomes #type described as #described"() {
        when:
        def check = HealthChecks.create(spec, beam)

        then:
        check.class == type
        check.describe() == described
        check.timeout() == Duration.ofMillis(spec.timeoutMillis())

        where:
        spec                                                                  || type          | described
        new HealthCheckSpec.BeamPing(5000)                                    || BeamPingCheck | 'beamPing exmc@127.0.0.1 (epmd 127.0.0.1:40123)'
        new HealthCheckSpec.Rpc('lists', 'sum', ['[1,2]'], '3', 3000)         || RpcCheck      | 'rpc lists:sum/1 on exmc@127.0.0.1 (epmd 127.0.0.1:40123)'
        new HealthCheckSpec.Http('http://127.0.0.1:4000/health', 200, 2000)   || HttpCheck     | 'http http://127.0.0.1:4000/health'
        new HealthCheckSpec.Tcp('127.0.0.1', 4000, 1000)                      || TcpCheck      | 'tcp 127.0.0.1:4000'
    }

    def "http and tcp need no node; beamPing and rpc do"() {
        expect:
        HealthChecks.create(new HealthCheckSpec.Tcp('h', 1, 10), null) instanceof TcpCheck

        when:
        HealthChecks.create(new HealthCheckSpec.BeamPing(10), null)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "beamPing needs the app's node name and cookie"
    }

    def "forApp resolves the cookie from the (injected) environment and reaches epmd where told"() {
        given:
        def app = app([new HealthCheckSpec.BeamPing(5000), new HealthCheckSpec.Tcp('h', 1, 10)])

        when:
        def checks = HealthChecks.forApp(app, '127.0.0.1', 40999, [RELEASE_COOKIE: 'x-' + UUID.randomUUID()])

        then:
        checks*.describe() == ['beamPing exmc@127.0.0.1 (epmd 127.0.0.1:40999)', 'tcp h:1']
    }

    def "forApp with a missing cookie variable fails naming the variable"() {
        when:
        HealthChecks.forApp(app([new HealthCheckSpec.BeamPing(5000)]), '127.0.0.1', 4369, [:])

        then:
        def e = thrown(SecretException)
        e.message == 'env(RELEASE_COOKIE): environment variable RELEASE_COOKIE is not set'
    }

    def "forApp of an app with only http checks needs neither node nor cookie"() {
        given:
        def app = new AppSpec('web', 'apps/web', '1.0', Optional.empty(), Optional.empty(),
                [new HealthCheckSpec.Http('http://h/x', 200, 100)], POS, POS)

        expect:
        HealthChecks.forApp(app, '127.0.0.1', 4369, [:])*.describe() == ['http http://h/x']
    }

    def "bad node names and ports are refused when the target is built"() {
        when:
        new BeamTarget(node, cookie, '127.0.0.1', port)

        then:
        thrown(IllegalArgumentException)

        where:
        node           | port
        'exmc'         | 4369
        '@h'           | 4369
        'a@'           | 4369
        'a@b@c'        | 4369
        'exmc@h'       | 0
        'exmc@h'       | 70000
    }

    def "BeamTarget.of uses the node's own host and epmd's standard port"() {
        expect:
        BeamTarget.of('a@10.0.0.5', cookie).host() == '10.0.0.5'
        BeamTarget.of('a@10.0.0.5', cookie).epmdPort() == 4369
        BeamTarget.of('a@10.0.0.5', cookie).longNames()
        !BeamTarget.of('a@box', cookie).longNames()
    }

    static AppSpec app(List<HealthCheckSpec> health) {
        new AppSpec('exmc', 'apps/exmc', '1.0', Optional.of('exmc@127.0.0.1'),
                Optional.of(new SecretRef.Env('RELEASE_COOKIE')), health, POS, POS)
    }
}
