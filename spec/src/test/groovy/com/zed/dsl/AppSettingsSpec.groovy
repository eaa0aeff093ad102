package com.zed.dsl

import com.zed.model.AppSpec
import spock.lang.Specification

import java.time.Duration

/** recordOnly, stableFor, watch, preCommandTimeout and capability: how a release is handled and judged. */
class AppSettingsSpec extends Specification {

    static AppSpec load(String appBody) {
        DeployScripts.parse('s.groovy', """deploy('d', pool: 'jeff') {
    dataset('apps/x')
    app('x') {
        dataset 'apps/x'; version '1.0.0'
        ${appBody}
    }
}
""").apps()[0]
    }

    def "every setting reaches the model"() {
        when:
        def app = load("recordOnly true; stableFor '30s'; watch '10m'; preCommandTimeout '90s'; capability 'net_bind_service'; distPort 443")

        then:
        app.recordOnly()
        app.stableFor() == Duration.ofSeconds(30)
        app.watch() == Optional.of(Duration.ofMinutes(10))
        app.preCommandTimeout() == Duration.ofSeconds(90)
        app.capabilities() == ['net_bind_service'] as Set
        app.bindsLowPorts()
        app.distPort().asInt == 443
    }

    def "without them: a release is needed, a 5s window, no watch, 5m per pre-command, no capability"() {
        when:
        def app = load('')

        then:
        !app.recordOnly()
        app.stableFor() == AppSpec.DEFAULT_STABLE_FOR
        app.stableFor() == Duration.ofSeconds(5)
        app.watch().empty
        app.preCommandTimeout() == Duration.ofMinutes(5)
        app.capabilities().empty
        !app.bindsLowPorts()
    }

    def "'#text' for stableFor is #expected"() {
        expect:
        load("stableFor '$text'").stableFor() == expected

        where:
        text    | expected
        '500ms' | Duration.ofMillis(500)
        '0s'    | Duration.ZERO
        '2m'    | Duration.ofMinutes(2)
        '1h'    | Duration.ofHours(1)
    }
}
