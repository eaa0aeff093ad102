package com.zed.beam

import spock.lang.Specification

import java.time.Duration

/** Names and the confined service of an app. */
class ServiceUnitsSpec extends Specification {

    def "an app's user is zed-<app> when that is a valid user name"() {
        expect:
        ServiceUnits.user('tiny') == 'zed-tiny'
        ServiceUnits.user('web_2-x') == 'zed-web_2-x'
        ServiceUnits.service('tiny') == 'zed-tiny'
        ServiceUnits.stateDirectory('/jeff/apps/tiny') == '/jeff/apps/tiny/state'
    }

    def "other app names get a hashed user name, valid, at most 32 characters, distinct: #app"() {
        when:
        def u = ServiceUnits.user(app)

        then:
        u ==~ /[a-z_][a-z0-9_-]{0,31}/
        u.startsWith('zed-')
        u != ServiceUnits.user(other)

        where:
        app                 | other
        'Tiny'              | 'tiny'
        'my.app'            | 'my_app'
        'a' * 40            | 'a' * 41
        'Web'               | 'wEb'
    }

    def "the same app always gets the same user"() {
        expect:
        ServiceUnits.user('My.App') == ServiceUnits.user('My.App')
    }

    def "the confined service: user, state directory, writable paths, timeout"() {
        when:
        def s = ServiceUnits.forApp('tiny', '/jeff/apps/tiny', 'zed-tiny', '/jeff/apps/tiny/state', OptionalInt.empty(),
                true, false, Duration.ofSeconds(42))
        def box = s.sandbox().get()

        then:
        s.name() == 'zed-tiny'
        s.workingDirectory() == '/jeff/apps/tiny/state'
        s.start() == ['/jeff/apps/tiny/current/bin/tiny', 'start']
        s.stop().isEmpty()
        box.user() == 'zed-tiny'
        box.writablePaths() == ['/jeff/apps/tiny/state']
        box.erlangCookie()
        !box.bindLowPorts()
        !box.writeExecute()
        box.commandTimeout() == Duration.ofSeconds(42)
        box.environment() == [RELEASE_TMP: '/tmp', STATE_DIRECTORY: '/jeff/apps/tiny/state']
    }
}
