package com.zed.dsl

import com.zed.model.InvalidDeploymentException
import com.zed.model.Problem
import spock.lang.Specification

import static com.zed.model.Problem.Kind.*

/**
 * Every kind of mistake a deploy script can hold, each reported once, at its exact line:col, with
 * its kind and field (never told apart by message text). Scripts are written inline; {@code d(...)}
 * wraps lines in {@code deploy('t', pool: 'tank') { ... }}, so its first line is line 2 and starts
 * at column 1; {@code a(...)} puts lines into a complete app, from line 4.
 */
class BadScriptsSpec extends Specification {
    static final String DS = "dataset('apps/a')"

    static String d(String... lines) {
        (["deploy('t', pool: 'tank') {"] + lines.toList() + ['}']).join('\n')
    }

    /** An app with everything its checks need (line 3), then {@code lines} from line 4. */
    static String a(String... lines) {
        d(*([DS, "app('a') { dataset 'apps/a'; version '1'; nodeName 'a@h'; cookie env('C')"] + lines.toList() + ['}']))
    }

    /** What a spec compares: position, kind and field, never the wording. Compile-time problems have no field: their message names the verb. */
    static String where(Problem p) {
        "${p.pos().line()}:${p.pos().column()} ${p.kind()} ${p.field()}"
    }

    def "#what: #kind at #at"() {
        when:
        DeployScripts.parse('bad.groovy', script)

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().collect { where(it) } == ["$at $kind $field"]
        e.problems()[0].pos().file() == 'bad.groovy'

        and: 'one line, with nothing of Groovy\'s internals'
        !e.message.contains('\n')
        ['org.codehaus', 'groovy.lang', 'Exception', '[Static type checking]', DeployScripts.SCRIPT_CLASS].every { !e.message.contains(it) }

        where:
        what                            | script                                                                                                                 | at      | kind              | field
        'misspelt top-level verb'       | "deplyo('t', pool: 'tank') {\n}"                                                                                       | '1:1'   | UNKNOWN_VERB      | ''
        'misspelt verb in deploy'       | d("datset('apps/a')")                                                                                                  | '2:1'   | UNKNOWN_VERB      | ''
        'misspelt verb in dataset'      | d("dataset('apps/a') { compresion 'lz4' }")                                                                            | '2:21'  | UNKNOWN_VERB      | ''
        'misspelt verb in app'          | d(DS, "app('a') { versoin '1' }")                                                                                      | '3:12'  | UNKNOWN_VERB      | ''
        'misspelt verb in snapshots'    | d("snapshots { kep 5 }")                                                                                               | '2:13'  | UNKNOWN_VERB      | ''
        'verb of app inside dataset'    | d("dataset('apps/a') { version '1' }")                                                                                 | '2:21'  | UNKNOWN_VERB      | ''
        'health check outside an app'   | d("health beamPing()")                                                                                                 | '2:8'   | UNKNOWN_VERB      | ''
        'keep is a number'              | d("snapshots { keep 'five' }")                                                                                         | '2:13'  | WRONG_TYPE        | ''
        'atime is a boolean'            | d("dataset('apps/a') { atime 'maybe' }")                                                                               | '2:21'  | WRONG_TYPE        | ''
        'on/off are not words'          | d("dataset('apps/a') { atime off }")                                                                                   | '2:27'  | UNKNOWN_VERB      | ''
        'compression is a String'       | d("dataset('apps/a') { compression 42 }")                                                                              | '2:21'  | WRONG_TYPE        | ''
        'copies is a number'            | d("dataset('apps/a') { copies '2' }")                                                                                  | '2:21'  | WRONG_TYPE        | ''
        'settings take no ='            | d("snapshots { keep = 3 }")                                                                                            | '2:13'  | SYNTAX            | ''
        'deploy without pool'           | "deploy('t') {\n}"                                                                                                     | '1:1'   | MISSING           | ''
        'pool is a String'              | "deploy('t', pool: 42) {\n}"                                                                                           | '1:19'  | WRONG_TYPE        | ''
        'unknown named argument'        | d(DS, "app('a') { health beamPing(timeoot: 5) }")                                                                      | '3:28'  | UNKNOWN_VERB      | ''
        'http needs url'                | d(DS, "app('a') { health http(status: 200) }")                                                                         | '3:19'  | MISSING           | ''
        'tcp port is a number'          | d(DS, "app('a') { health tcp(host: 'h', port: '80') }")                                                                | '3:40'  | WRONG_TYPE        | ''
        'host without ssh'              | d("cluster('c') { host 'a' }")                                                                                         | '2:16'  | MISSING           | ''
        'undeclared dataset (literal)'  | d("dataset('apps/exmc')", "app('a') { dataset 'apps/exmcc'; version '1' }")                                            | '3:20'  | UNKNOWN_REFERENCE | ''
        'undeclared dataset (computed)' | d("dataset('apps/exmc')", "app('a') { dataset \"apps/\${'ex' + 'mcc'}\"; version '1' }")                               | '3:12'  | UNKNOWN_REFERENCE | 'dataset'
        'dataset declared twice'        | d(DS, DS)                                                                                                              | '3:1'   | DUPLICATE         | 'dataset'
        'app declared twice'            | d(DS, "dataset('apps/b')", "app('x') { dataset 'apps/a'; version '1' }", "app('x') { dataset 'apps/b'; version '1' }") | '5:1'   | DUPLICATE         | 'app'
        'empty path component'          | d("dataset('apps//x')")                                                                                                | '2:1'   | INVALID_NAME      | 'dataset'
        'mountpoint as dataset path'    | d("dataset('/opt')")                                                                                                   | '2:1'   | INVALID_NAME      | 'dataset'
        'space in dataset path'         | d("dataset('apps/a b')")                                                                                               | '2:1'   | INVALID_NAME      | 'dataset'
        'bad property name'             | d("dataset('apps/a') { property 'Bad', 'x' }")                                                                         | '2:21'  | INVALID_NAME      | 'Bad'
        'compression value'             | d("dataset('apps/a') {", "atime true", "compression 'fast'", "}")                                                      | '4:1'   | INVALID_VALUE     | 'compression'
        'quota value'                   | d("dataset('apps/a') { quota 'lots' }")                                                                                | '2:21'  | INVALID_VALUE     | 'quota'
        'recordsize value'              | d("dataset('apps/a') { recordsize '3K' }")                                                                             | '2:21'  | INVALID_VALUE     | 'recordsize'
        'relative mountpoint'           | d("dataset('apps/a') { mountpoint 'relative' }")                                                                       | '2:21'  | INVALID_VALUE     | 'mountpoint'
        'property set twice'            | d("dataset('apps/a') { quota '1G'; quota '2G' }")                                                                      | '2:33'  | DUPLICATE         | 'quota'
        'invalid pool name'             | "deploy('t', pool: 'mirror1') {\n}"                                                                                    | '1:19'  | INVALID_NAME      | 'pool'
        'keep 0'                        | d("snapshots { keep 0 }")                                                                                              | '2:13'  | OUT_OF_RANGE      | 'keep'
        'bad version'                   | d(DS, "app('a') { dataset 'apps/a'; version 'bad version' }")                                                          | '3:30'  | INVALID_VALUE     | 'version'
        'app without version'           | d(DS, "app('a') { dataset 'apps/a' }")                                                                                 | '3:1'   | MISSING           | 'version'
        'bad nodeName'                  | d(DS, "app('a') { dataset 'apps/a'; version '1'; nodeName 'nohost' }")                                                 | '3:43'  | INVALID_NAME      | 'nodeName'
        'beamPing without nodeName'     | d(DS, "app('a') { dataset 'apps/a'; version '1'; health beamPing() }")                                                 | '3:43'  | MISSING           | 'health[1]'
        'beamPing without cookie'       | d(DS, "app('a') { dataset 'apps/a'; version '1'; nodeName 'a@h'; health beamPing() }")                                 | '3:59'  | MISSING           | 'health[1]'
        'http url scheme'               | d(DS, "app('a') { dataset 'apps/a'; version '1'", "health http(url: 'ftp://x') }")                                     | '4:18'  | INVALID_VALUE     | 'health[1].url'
        'unclosed block'                | d("dataset('apps/a') {")                                                                                               | '1:27'  | SYNTAX            | ''
        'one brace too many'            | d(DS, "}")                                                                                                             | '4:1'   | SYNTAX            | ''
        'unclosed string'               | d("dataset('apps/a)")                                                                                                  | '2:9'   | SYNTAX            | ''
        'two deploys'                   | "deploy('a', pool: 'tank') {\n}\ndeploy('b', pool: 'tank') {\n}"                                                       | '3:1'   | DUPLICATE         | 'deploy'
        'no deploy'                     | "def x = 1"                                                                                                            | '1:1'   | MISSING           | 'deploy'
        'script throws'                 | d("throw new RuntimeException('boom')")                                                                                | '2:1'   | SCRIPT_FAILED     | 'script'
        'division by zero'              | d("int zero = 0", "  def x = 1 / zero")                                                                                | '3:3'   | SCRIPT_FAILED     | 'script'
        'variable hiding a verb'        | "def version = '1'\n" + d(DS, "app('a') { dataset 'apps/a'; version version }")                                        | '4:30'  | COLLISION         | ''
        'script method inside a block'  | "String path(String n) { 'apps/' + n }\n" + d("dataset(path('a'))")                                                    | '3:9'   | UNKNOWN_VERB      | ''
        'unknown variable'              | d("dataset(path) { }")                                                                                                 | '2:9'   | UNKNOWN_VERB      | ''
        'jail on undeclared dataset'    | d("jail('web') { dataset 'jails/web' }")                                                                               | '2:15'  | UNKNOWN_REFERENCE | 'dataset'
        'zone with undeclared app'      | d("dataset('zones/db')", "zone('db') { dataset 'zones/db'; contains 'exmc' }")                                         | '3:34'  | UNKNOWN_REFERENCE | 'contains'
        'bad cluster strategy'          | d("cluster('c') { host 'a', ssh: 'root@h'; strategy 'fastest' }")                                                      | '2:41'  | INVALID_VALUE     | 'strategy'
        'bad cluster ssh'               | d("cluster('c') { host 'a', ssh: '-oProxyCommand=x' }")                                                                | '2:31'  | INVALID_VALUE     | 'ssh'
        'ssh with a space'              | d("cluster('c') { host 'a', ssh: 'root@h x' }")                                                                        | '2:31'  | INVALID_VALUE     | 'ssh'
        'bad cluster fallback'          | d("cluster('c') { host 'a', ssh: 'h'; fallback 'retry' }")                                                             | '2:36'  | INVALID_VALUE     | 'fallback'
        'parallel zero'                 | d("cluster('c') { host 'a', ssh: 'h'; parallel 0 }")                                                                   | '2:36'  | OUT_OF_RANGE      | 'parallel'
        'bad label'                     | d("cluster('c') { host 'a', ssh: 'h', labels: ['p rod'] }")                                                            | '2:44'  | INVALID_VALUE     | 'labels'
        'bad host pool'                 | d("cluster('c') { host 'a', ssh: 'h', pool: 'mirror' }")                                                               | '2:42'  | INVALID_NAME      | 'pool'
        'reserved host env'             | d("cluster('c') { host 'a', ssh: 'h', env: [RELEASE_NODE: 'x'] }")                                                   | '2:41'  | RESERVED          | 'env'
        'bad host env name'             | d("cluster('c') { host 'a', ssh: 'h', env: ['1X': 'x'] }")                                                           | '2:41'  | INVALID_NAME      | 'env'
        'one host reached twice'        | d("cluster('c') { host 'a', ssh: 'h'; host 'b', ssh: 'h' }")                                                           | '2:51'  | COLLISION         | 'ssh'
    }

    def "caught at load, before anything changes — #what: #kind at #at"() {
        when:
        DeployScripts.parse('bad.groovy', script)

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().collect { where(it) } == ["$at $kind $field"]

        where:
        what                                         | script                                                                              | at     | kind                | field
        // rpc terms are parsed at load, not first when the check runs after the switch
        'rpc expect: is not a term'                  | a("health rpc(module: 'erlang', function: 'node', expect: \"'a@h\")")              | '4:56' | SYNTAX              | 'health[1].expect'
        'rpc args: element is not a term'            | a("health rpc(module: 'lists', function: 'sum', args: ['[1,2'], expect: '3')")     | '4:52' | SYNTAX              | 'health[1].args'
        'rpc expect: on its own line, second check'  | a("health beamPing()", "health rpc(module: 'm', function: 'f',", "    expect: '{ok,'", ")") | '6:13' | SYNTAX   | 'health[2].expect'
        // environment
        'environment name with a dash'               | a("environment 'BAD-NAME', 'x'")                                                    | '4:13' | INVALID_NAME        | 'environment[BAD-NAME].name'
        'environment name starting with a digit'     | a("environment '1X', 'x'")                                                          | '4:13' | INVALID_NAME        | 'environment[1X].name'
        'RELEASE_COOKIE is Zed\'s'                    | a("environment 'RELEASE_COOKIE', 'x'")                                              | '4:13' | RESERVED            | 'environment[RELEASE_COOKIE].name'
        'RELEASE_VSN would boot another version'     | a("environment 'RELEASE_VSN', '2.0.0'")                                             | '4:13' | RESERVED            | 'environment[RELEASE_VSN].name'
        'HOME carries the cookie credential'         | a("environment 'HOME', '/root'")                                                    | '4:13' | RESERVED            | 'environment[HOME].name'
        'ERL_ZFLAGS keeps the cookie off argv'       | a("environment 'ERL_ZFLAGS', '-setcookie x'")                                       | '4:13' | RESERVED            | 'environment[ERL_ZFLAGS].name'
        'ERL_AFLAGS carries distPort'                | a("distPort 9100; environment 'ERL_AFLAGS', '+S 2'")                                | '4:28' | RESERVED            | 'environment[ERL_AFLAGS].name'
        'environment variable set twice'             | a("environment 'A', '1'", "environment 'A', '2'")                                   | '5:1'  | DUPLICATE           | 'environment[A]'
        // distPort
        'distPort below 1024 without capability'     | a("distPort 80")                                                                    | '4:1'  | OUT_OF_RANGE        | 'distPort'
        'distPort above 65535'                       | a("distPort 70000")                                                                 | '4:1'  | OUT_OF_RANGE        | 'distPort'
        'distPort set twice'                         | a("distPort 9100; distPort 9101")                                                   | '4:16' | DUPLICATE           | 'distPort'
        // pre-commands
        'preCommand without arguments'               | a("preCommand()")                                                                   | '4:1'  | MISSING             | 'preCommand[1]'
        'preCommand eval without an expression'      | a("preCommand 'eval'")                                                              | '4:1'  | MISSING             | 'preCommand[1]'
        'preCommand that starts a node'              | a("preCommand 'eval', 'M.f()'", "preCommand 'start'")                               | '5:12' | INVALID_VALUE       | 'preCommand[2].arg1'
        // unit names: zed-<app> and zed-<app>-cmd
        'app web-cmd after web'                      | d(DS, "dataset('apps/b')", "app('web') { dataset 'apps/a'; version '1' }", "app('web-cmd') { dataset 'apps/b'; version '1' }") | '5:1' | COLLISION | 'app'
        'app web after web-cmd'                      | d(DS, "dataset('apps/b')", "app('web-cmd') { dataset 'apps/a'; version '1' }", "app('web') { dataset 'apps/b'; version '1' }") | '5:1' | COLLISION | 'app'
        // CR, NUL and newlines that would reach a unit or an environment file
        'CR in an environment value'                 | a("environment 'A', 'x\\ry'")                                                       | '4:18' | FORBIDDEN_CHARACTER | 'environment[A].value'
        'NUL in an environment value'                | a("environment 'A', 'x\\u0000y'")                                                   | '4:18' | FORBIDDEN_CHARACTER | 'environment[A].value'
        'newline in an environment value'            | a("environment 'A', 'x\\ny'")                                                       | '4:18' | FORBIDDEN_CHARACTER | 'environment[A].value'
        'NUL in a secret file path'                  | a("environment 'A', file('/run/a\\u0000')")                                         | '4:18' | FORBIDDEN_CHARACTER | 'environment[A].value'
        'NUL in a preCommand argument'               | a("preCommand 'eval', 'M.f()\\u0000'")                                              | '4:20' | FORBIDDEN_CHARACTER | 'preCommand[1].arg2'
        'newline in a preCommand argument'           | a("preCommand 'eval', 'M.f()\\nM.g()'")                                             | '4:20' | FORBIDDEN_CHARACTER | 'preCommand[1].arg2'
        'CR in a node name'                          | d(DS, "app('a') { dataset 'apps/a'; version '1'; nodeName 'a@h\\r' }")               | '3:43' | FORBIDDEN_CHARACTER | 'nodeName'
        'CR in an app name (unit description)'       | d(DS, "app('a\\r') { dataset 'apps/a'; version '1' }")                               | '3:1'  | FORBIDDEN_CHARACTER | 'app'
        'CR in a mountpoint (WorkingDirectory)'      | d("dataset('apps/a') { mountpoint '/opt/a\\rb' }")                                   | '2:21' | FORBIDDEN_CHARACTER | 'mountpoint'
        'newline in a user property value'           | d("dataset('apps/a') { property 'com.example:note', 'a\\nb' }")                      | '2:21' | FORBIDDEN_CHARACTER | 'com.example:note'
        'NUL in a cookie file path'                  | d(DS, "app('a') { dataset 'apps/a'; version '1'; cookie file('/etc/c\\u0000') }")     | '3:43' | FORBIDDEN_CHARACTER | 'cookie'
        // sizes beyond 2^63 - 1 no longer wrap to negative numbers
        'quota 9E'                                   | d("dataset('apps/a') { quota '9E' }")                                               | '2:21' | OVERFLOW            | 'quota'
        'refreservation 8E (2^63)'                   | d("dataset('apps/a') { refreservation '8E' }")                                      | '2:21' | OVERFLOW            | 'refreservation'
        // the new app settings
        'stableFor with an unknown unit'             | a("stableFor '30x'")                                                                | '4:1'  | SYNTAX              | 'stableFor'
        'stableFor without a unit'                   | a("stableFor '30'")                                                                 | '4:1'  | SYNTAX              | 'stableFor'
        'stableFor too large'                        | a("stableFor '99999999999999999999h'")                                              | '4:1'  | OVERFLOW            | 'stableFor'
        'stableFor set twice'                        | a("stableFor '10s'; stableFor '20s'")                                               | '4:18' | DUPLICATE           | 'stableFor'
        'stableFor is a String'                      | a("stableFor 30")                                                                   | '4:1'  | WRONG_TYPE          | ''
        'watch of zero'                              | a("watch '0s'")                                                                     | '4:1'  | OUT_OF_RANGE        | 'watch'
        'preCommandTimeout in words'                 | a("preCommandTimeout '5 minutes'")                                                  | '4:1'  | SYNTAX              | 'preCommandTimeout'
        'preCommandTimeout of zero'                  | a("preCommandTimeout '0ms'")                                                        | '4:1'  | OUT_OF_RANGE        | 'preCommandTimeout'
        'unknown capability'                         | a("capability 'sys_admin'")                                                         | '4:1'  | INVALID_VALUE       | 'capability[sys_admin]'
        'recordOnly set twice'                       | a("recordOnly true", "recordOnly false")                                            | '5:1'  | DUPLICATE           | 'recordOnly'
        // settings moved from the blocks to the Validator, and nulls the model cannot hold
        'health given null'                          | a("health null")                                                                    | '4:1'  | MISSING             | 'health'
        'version given null'                         | d(DS, "app('a') { dataset 'apps/a'; version null }")                                | '3:30' | MISSING             | 'version'
        'http status below 100'                      | a("health http(url: 'http://h/', status: 99)")                                      | '4:39' | OUT_OF_RANGE        | 'health[1].status'
        'tcp port 0'                                 | a("health tcp(host: 'h', port: 0)")                                                 | '4:29' | OUT_OF_RANGE        | 'health[1].port'
        'check timeout 0'                            | a("health beamPing(timeout: 0)")                                                    | '4:26' | OUT_OF_RANGE        | 'health[1].timeout'
        'keep set twice'                             | d("snapshots { keep 3; keep 4 }")                                                   | '2:21' | DUPLICATE           | 'keep'
        'two snapshots blocks'                       | d("snapshots { keep 3 }", "snapshots { keep 4 }")                                   | '3:1'  | DUPLICATE           | 'snapshots'
        'jail param set twice'                       | d("dataset('jails/w')", "jail('w') { dataset 'jails/w'; param 'a', '1'; param 'a', '2' }") | '3:48' | DUPLICATE | 'param[a]'
    }

    def "accepted: #what"() {
        expect:
        DeployScripts.parse('ok.groovy', script).app('a').present

        where:
        what                                        | script
        'RELEASE_TMP and RELEASE_MODE are the operator\'s' | a("environment 'RELEASE_TMP', '/var/tmp/a'; environment 'RELEASE_MODE', 'interactive'")
        'ERL_AFLAGS without distPort'               | a("environment 'ERL_AFLAGS', '+S 2'")
        'distPort 1024'                             | a("distPort 1024")
        'distPort 80 with net_bind_service'         | a("capability 'net_bind_service'; distPort 80")
        'a tab in an environment value'             | a("environment 'A', 'x\\ty'")
        'rpc terms of every shape'                  | a("health rpc(module: 'm', function: 'f', args: ['[1,2]', '<<\"x\">>', '#{k => v}'], expect: '{ok, \"s\"}')")
        'quota 7E, below 2^63'                      | d(DS, "dataset('apps/b') { quota '7E' }", "app('a') { dataset 'apps/a'; version '1' }")
        'stableFor 0s turns the window off'         | a("stableFor '0s'")
        'apps a and a-api'                          | d(DS, "dataset('apps/b')", "app('a') { dataset 'apps/a'; version '1' }", "app('a-api') { dataset 'apps/b'; version '1' }")
        'preCommand rpc with an expression'         | a("preCommand 'rpc', 'M.warm()'")
    }

    def "every problem is reported, in script order, when a script has several"() {
        when:
        DeployScripts.parse('many.groovy', d(
                "dataset('apps/a') { quota 'lots' }",
                "app('a') { dataset 'apps/a'; version 'bad version' }",
                "snapshots { keep 0 }"))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().collect { where(it) } == ['2:21 INVALID_VALUE quota', '3:30 INVALID_VALUE version', '4:13 OUT_OF_RANGE keep']

        and: 'each prints as file:line:col: field: reason'
        e.problems()*.toString().every { it ==~ /many\.groovy:\d+:\d+: \w+: [^\n]+/ }
    }

    def "compile errors are all reported together, and the script is not run"() {
        when:
        DeployScripts.parse('c.groovy', d(
                "dataset('apps/a') { compresion 'lz4' }",
                "throw new IllegalStateException('must not run')",
                "app('a') { versoin '1' }"))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().collect { where(it) } == ['2:21 UNKNOWN_VERB ', '4:12 UNKNOWN_VERB ']
    }

    def "a misspelt block's contents are not reported again"() {
        when:
        DeployScripts.parse('c.groovy', d("datset('apps/a') {", "compression 'lz4'", "bogus 1", "}"))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().collect { where(it) } == ['2:1 UNKNOWN_VERB ']
    }

    def "a block's internal fields are not reachable from a script"() {
        when:
        DeployScripts.parse('f.groovy', d(DS, "app('a') { dataset = 'apps/a'; version '1'; pos }"))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().collect { where(it) } == ['3:12 SYNTAX ', '3:45 UNKNOWN_VERB ']
    }

    def "a missing script file is a problem, not a stack trace"() {
        when:
        DeployScripts.load(java.nio.file.Path.of('/nonexistent/zed/deploy.groovy'))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().collect { "${it.pos()} ${it.kind()}" } == ['/nonexistent/zed/deploy.groovy:0:0 UNREADABLE']
    }
}
