package com.zed.model

import spock.lang.Specification

import java.time.Duration

import static com.zed.support.Models.POS

/** AppSpec's release settings: their defaults, and the durations a script writes them in. */
class AppSpecSpec extends Specification {

    def "the convenience constructors give the default release settings"() {
        when:
        def app = new AppSpec('web', 'apps/web', '1.0', Optional.empty(), Optional.empty(), [], POS, POS)

        then:
        !app.recordOnly()
        app.stableFor() == Duration.ofSeconds(5)
        app.watch().empty
        app.preCommandTimeout() == Duration.ofMinutes(5)
        app.capabilities().empty
        !app.bindsLowPorts()
    }

    def "binding ports below 1024 is the net_bind_service capability"() {
        expect:
        com.zed.support.Models.app('web', 'apps/web', '1', capabilities: caps).bindsLowPorts() == binds

        where:
        caps                              | binds
        []                                | false
        ['net_bind_service']              | true
        ['net_raw']                       | false
    }

    def "durations: '#text' is #expected"() {
        expect:
        Durations.parse(text) == expected
        Durations.format(expected) == text

        where:
        text    | expected
        '500ms' | Duration.ofMillis(500)
        '30s'   | Duration.ofSeconds(30)
        '5m'    | Duration.ofMinutes(5)
        '1h'    | Duration.ofHours(1)
        '0s'    | Duration.ZERO
    }

    def "not durations: '#text' throws #exception.simpleName"() {
        when:
        Durations.parse(text)

        then:
        thrown(exception)

        where:
        text                      | exception
        '30'                      | IllegalArgumentException
        '30x'                     | IllegalArgumentException
        '1.5s'                    | IllegalArgumentException
        '-5s'                     | IllegalArgumentException
        ' 5s'                     | IllegalArgumentException
        '5 m'                     | IllegalArgumentException
        null                      | IllegalArgumentException
        '99999999999999999999h'   | ArithmeticException
        '9999999999999999h'       | ArithmeticException
    }
}
