package com.zed.dsl

import com.zed.model.EnvValue
import com.zed.model.SecretRef
import spock.lang.Specification

/** environment, preCommand and distPort: what a release is handed at apply time. */
class AppEnvironmentSpec extends Specification {

    static String script(String appBody) {
        """deploy('d', pool: 'jeff') {
    dataset('apps/x') { }
    app('x') {
        dataset 'apps/x'; version '1.0.0'; nodeName 'x@127.0.0.1'
${appBody}
    }
}
"""
    }

    def "environment values are literals or secret references; secrets are not read at load time"() {
        when:
        def app = DeployScripts.parse('s.groovy', script("""
        environment 'POOL_SIZE', '10'
        environment 'DB_PASSWORD', env('ZED_SPEC_NEVER_SET_${System.nanoTime()}')
        preCommand 'eval', 'X.Migrate.run()'
        preCommand 'eval', 'X.Seed.run()'
        distPort 9100""")).apps()[0]

        then:
        app.environment().POOL_SIZE == new EnvValue.Literal('10')
        app.environment().DB_PASSWORD instanceof EnvValue.Secret
        (app.environment().DB_PASSWORD as EnvValue.Secret).ref() instanceof SecretRef.Env
        app.preCommands() == [['eval', 'X.Migrate.run()'], ['eval', 'X.Seed.run()']]
        app.distPort().asInt == 9100
    }

    def "an app without them has none"() {
        when:
        def app = DeployScripts.parse('s.groovy', script('')).apps()[0]

        then:
        app.environment().isEmpty()
        app.preCommands().isEmpty()
        !app.distPort().present
    }
}
