package com.zed.model

import com.zed.beam.BeamRuntime
import com.zed.platform.LinuxSystemd
import com.zed.support.RecordingRunner
import com.zed.zfs.PropertyName
import com.zed.zfs.PropertyValues
import spock.lang.Specification

import java.time.Duration

import static com.zed.model.Problem.Kind.*
import static com.zed.support.Models.*

/**
 * The Validator on models built in code (no script): every rule holds without the DSL, problems
 * are told apart by kind and field, and positions come from the source map when there is one.
 */
class ValidatorSpec extends Specification {

    static Deployment withApps(AppSpec... apps) {
        deployment('d', 'tank', apps.collect { dataset(it.dataset()) }, apps.toList())
    }

    static List<String> found(Deployment d, SourceMap where = SourceMap.empty()) {
        Validator.validate(d, where).collect { "${it.kind()} ${it.field()}" }
    }

    static final Optional<SecretRef> COOKIE = Optional.of(new SecretRef.Env('C'))

    def "a valid app with every new setting has no problem"() {
        expect:
        found(withApps(app('web', 'apps/web', '1.0', nodeName: 'web@h', cookie: COOKIE.get(),
                health: [new HealthCheckSpec.Rpc('erlang', 'node', ['[1,2]'], "'web@h'", 1000)],
                environment: [PORT: new EnvValue.Literal('80'), RELEASE_TMP: new EnvValue.Literal('/tmp/w')],
                preCommands: [['eval', 'M.f()']], distPort: 443, capabilities: ['net_bind_service'],
                stableFor: Duration.ofSeconds(30), watch: Duration.ofMinutes(10),
                preCommandTimeout: Duration.ofMinutes(1), recordOnly: true))) == []
    }

    def "#what: #kind #field"() {
        expect:
        found(withApps(app)) == ["$kind $field"]

        where:
        what                              | app                                                                                               | kind                | field
        'rpc expect not a term'           | app('a', 'apps/a', '1', nodeName: 'a@h', cookie: COOKIE.get(), health: [new HealthCheckSpec.Rpc('m', 'f', [], '{ok', 1)]) | SYNTAX | 'health[1].expect'
        'rpc args element not a term'     | app('a', 'apps/a', '1', nodeName: 'a@h', cookie: COOKIE.get(), health: [new HealthCheckSpec.Rpc('m', 'f', ['ok', '[1,'], 'ok', 1)]) | SYNTAX | 'health[1].args'
        'environment name'                | app('a', 'apps/a', '1', environment: ['A-B': new EnvValue.Literal('x')])                         | INVALID_NAME        | 'environment[A-B].name'
        'reserved RELEASE_NODE'           | app('a', 'apps/a', '1', environment: [RELEASE_NODE: new EnvValue.Literal('x@h')])                | RESERVED            | 'environment[RELEASE_NODE].name'
        'ERL_AFLAGS with distPort'        | app('a', 'apps/a', '1', distPort: 9100, environment: [ERL_AFLAGS: new EnvValue.Literal('')])    | RESERVED            | 'environment[ERL_AFLAGS].name'
        'CR in environment value'         | app('a', 'apps/a', '1', environment: [A: new EnvValue.Literal('x\ry')])                          | FORBIDDEN_CHARACTER | 'environment[A].value'
        'NUL in secret file path'         | app('a', 'apps/a', '1', environment: [A: new EnvValue.Secret(new SecretRef.File('/a\u0000'))])  | FORBIDDEN_CHARACTER | 'environment[A].value'
        'null environment value'          | app('a', 'apps/a', '1', environment: [A: new EnvValue.Literal(null)])                            | MISSING             | 'environment[A].value'
        'distPort 1023'                   | app('a', 'apps/a', '1', distPort: 1023)                                                           | OUT_OF_RANGE        | 'distPort'
        'distPort 0 even with capability' | app('a', 'apps/a', '1', distPort: 0, capabilities: ['net_bind_service'])                         | OUT_OF_RANGE        | 'distPort'
        'empty preCommand'                | app('a', 'apps/a', '1', preCommands: [[]])                                                        | MISSING             | 'preCommand[1]'
        'rpc preCommand without expr'     | app('a', 'apps/a', '1', preCommands: [['eval', 'M.f()'], ['rpc']])                                | MISSING             | 'preCommand[2]'
        'daemon as a preCommand'          | app('a', 'apps/a', '1', preCommands: [['daemon']])                                                | INVALID_VALUE       | 'preCommand[1].arg1'
        'newline in a preCommand'         | app('a', 'apps/a', '1', preCommands: [['eval', 'a\nb']])                                          | FORBIDDEN_CHARACTER | 'preCommand[1].arg2'
        'NUL in a node name'              | app('a', 'apps/a', '1', nodeName: 'a@h\u0000')                                                    | FORBIDDEN_CHARACTER | 'nodeName'
        'negative stableFor'              | app('a', 'apps/a', '1', stableFor: Duration.ofSeconds(-1))                                        | OUT_OF_RANGE        | 'stableFor'
        'zero watch'                      | app('a', 'apps/a', '1', watch: Duration.ZERO)                                                     | OUT_OF_RANGE        | 'watch'
        'zero preCommandTimeout'          | app('a', 'apps/a', '1', preCommandTimeout: Duration.ZERO)                                         | OUT_OF_RANGE        | 'preCommandTimeout'
        'unknown capability'              | app('a', 'apps/a', '1', capabilities: ['NET_BIND_SERVICE'])                                       | INVALID_VALUE       | 'capability[NET_BIND_SERVICE]'
    }

    def "apps whose systemd units collide: #names"() {
        when:
        def apps = names.withIndex().collect { String n, int i -> app(n, "apps/$i", '1') }

        then:
        found(withApps(*apps)) == expected

        where:
        names                  | expected
        ['web', 'web-cmd']     | ['COLLISION app']
        ['web-cmd', 'web']     | ['COLLISION app']
        ['web', 'web']         | ['DUPLICATE app']
        ['web', 'web-api']     | []
        ['web-cmd', 'web-cmd-cmd'] | ['COLLISION app']
    }

    def "the unit names the Validator checks are the ones the platform creates"() {
        given:
        def app = app('web', 'apps/web', '1')
        def runner = new RecordingRunner()

        when:
        new LinuxSystemd(runner).runWithEnvironment(BeamRuntime.serviceOf(app), '/tank/apps/web', ['/bin/true'])

        then:
        Validator.unitNames('web')[0] == BeamRuntime.serviceOf(app)
        runner.commands.find { it[0..1] == ['systemctl', 'start'] } == ['systemctl', 'start', Validator.unitNames('web')[1] + '.service']
    }

    def "sizes beyond 2^63 - 1 overflow; below, they are sizes"() {
        given:
        def quota = PropertyName.of('quota')

        expect:
        found(deployment('d', 'tank', [dataset('apps/a', [quota: value])])) == expected
        !PropertyValues.canonical(quota, value).startsWith('-')

        where:
        value                   | expected
        '9E'                    | ['OVERFLOW quota']
        '8E'                    | ['OVERFLOW quota']
        '9223372036854775808'   | ['OVERFLOW quota']
        '9223372036854775807'   | []
        '7.99E'                 | []
        'lots'                  | ['INVALID_VALUE quota']
    }

    def "a problem points at the argument that caused it, else at its verb, else at its element"() {
        given:
        def app = app('a', 'apps/a', '1', nodeName: 'a@h', cookie: COOKIE.get(),
                health: [new HealthCheckSpec.Rpc('m', 'f', [], '{ok', 1)], distPort: 80)
        def where = SourceMap.empty()
        where.declare(app, declared)

        when:
        def problems = Validator.validate(withApps(app), where)

        then:
        problems.collect { "${it.field()} ${it.pos().line()}:${it.pos().column()}" } as Set == expected as Set

        where:
        declared                                                                    | expected
        []                                                                          | ['health[1].expect 1:1', 'distPort 1:1']
        [decl(Field.of('health', 1), 5, 9), decl(Field.of('distPort'), 7, 9)]       | ['health[1].expect 5:9', 'distPort 7:9']
        [decl(Field.of('health', 1), 5, 9), decl(Field.of('health', 1).arg('expect'), 6, 20), decl(Field.of('distPort'), 7, 9)] | ['health[1].expect 6:20', 'distPort 7:9']
    }

    def "what a script wrote twice or as null is reported from the source map, at the second writing"() {
        given:
        def app = app('a', 'apps/a', '1')
        def where = SourceMap.empty()
        where.declare(app, [decl(Field.of('version'), 3, 5), decl(Field.of('health'), 4, 5, null),
                            decl(Field.of('version'), 8, 5), decl(Field.of('environment', 'A'), 9, 5),
                            decl(Field.of('preCommand', 1), 10, 5), decl(Field.of('preCommand', 2), 11, 5)])

        expect:
        Validator.validate(withApps(app), where).collect { "${it.pos().line()} ${it.kind()} ${it.field()}" } ==
                ['4 MISSING health', '8 DUPLICATE version']
    }

    def "fields are paths of setting, key and argument"() {
        expect:
        field.toString() == path
        field.parent().toString() == parent

        where:
        field                                     | path                    | parent
        Field.of('quota')                         | 'quota'                 | 'quota'
        Field.of('health', 2)                     | 'health[2]'             | 'health'
        Field.of('health', 2).arg('expect')       | 'health[2].expect'      | 'health[2]'
        Field.of('environment', 'PORT').arg('value') | 'environment[PORT].value' | 'environment[PORT]'
        Field.of('deploy').arg('pool')            | 'deploy.pool'           | 'deploy'
    }

    def "a problem prints as file:line:col: field: reason, or without a field when it has none"() {
        expect:
        new Problem(new SourcePos('s.groovy', 3, 9), Field.of('health', 1).arg('expect'), SYNTAX, 'not a term').toString() ==
                's.groovy:3:9: health[1].expect: not a term'
        new Problem(new SourcePos('s.groovy', 1, 1), Field.NONE, SYNTAX, 'a } is missing').toString() == 's.groovy:1:1: a } is missing'
    }

    static SourceMap.Declaration decl(Field f, int line, int col, Object value = 'x') {
        new SourceMap.Declaration(f, new SourcePos('s.groovy', line, col), value)
    }
}
