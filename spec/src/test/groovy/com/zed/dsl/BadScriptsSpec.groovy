package com.zed.dsl

import com.zed.model.InvalidDeploymentException
import spock.lang.Specification

/**
 * Every kind of mistake a deploy script can hold, each reported once, at its exact line:col, in
 * the grammar's words. Scripts are written inline; {@code d(...)} wraps lines in
 * {@code deploy('t', pool: 'tank') { ... }}, so its first line is line 2 and starts at column 1.
 */
class BadScriptsSpec extends Specification {
    static final String DS = "dataset('apps/a')"

    static String d(String... lines) {
        (["deploy('t', pool: 'tank') {"] + lines.toList() + ['}']).join('\n')
    }

    def "#what: reported at #at"() {
        when:
        DeployScripts.parse('bad.groovy', script)

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().size() == 1
        def p = e.problems()[0]
        "${p.pos().line()}:${p.pos().column()}" == at
        p.pos().file() == 'bad.groovy'
        p.toString().startsWith("bad.groovy:$at: ")
        p.message().contains(message)

        and: 'one line, in the grammar\'s words, with nothing of Groovy\'s internals'
        !e.message.contains('\n')
        ['org.codehaus', 'groovy.lang', 'Exception', '[Static type checking]', DeployScripts.SCRIPT_CLASS].every { !e.message.contains(it) }

        where:
        what                              | script                                                                        | at     | message
        'misspelt top-level verb'         | "deplyo('t', pool: 'tank') {\n}"                                              | '1:1'  | "unknown verb 'deplyo' at the top of the script — did you mean 'deploy'?"
        'misspelt verb in deploy'         | d("datset('apps/a')")                                                         | '2:1'  | "unknown setting 'datset' in deploy { } — did you mean 'dataset'?"
        'misspelt verb in dataset'        | d("dataset('apps/a') { compresion 'lz4' }")                                   | '2:21' | "unknown setting 'compresion' in dataset { } — did you mean 'compression'?"
        'misspelt verb in app'            | d(DS, "app('a') { versoin '1' }")                                             | '3:12' | "unknown setting 'versoin' in app { } — did you mean 'version'?"
        'misspelt verb in snapshots'      | d("snapshots { kep 5 }")                                                      | '2:13' | "unknown setting 'kep' in snapshots { } — did you mean 'keep'?"
        'verb of app inside dataset'      | d("dataset('apps/a') { version '1' }")                                        | '2:21' | "unknown setting 'version' in dataset { } — version belongs in app { }"
        'health check outside an app'     | d("health beamPing()")                                                        | '2:8'  | "unknown setting 'beamPing' in deploy { } — beamPing belongs in app { }"
        'keep is a number'                | d("snapshots { keep 'five' }")                                                | '2:13' | 'keep expects an int, got String'
        'atime is a boolean'              | d("dataset('apps/a') { atime 'maybe' }")                                      | '2:21' | 'atime expects a boolean (true or false), got String'
        'on/off are not words'            | d("dataset('apps/a') { atime off }")                                          | '2:27' | "unknown name 'off' in dataset { } — write true or false"
        'compression is a String'         | d("dataset('apps/a') { compression 42 }")                                     | '2:21' | 'compression expects a String, got int'
        'copies is a number'              | d("dataset('apps/a') { copies '2' }")                                         | '2:21' | 'copies expects an int, got String'
        'settings take no ='              | d("snapshots { keep = 3 }")                                                   | '2:13' | "keep is a setting, written without '=': keep 5"
        'deploy without pool'             | "deploy('t') {\n}"                                                            | '1:1'  | "deploy needs pool: — deploy('name', pool: 'tank') { ... }"
        'pool is a String'                | "deploy('t', pool: 42) {\n}"                                                  | '1:19' | 'pool: expects a String, got int'
        'unknown named argument'          | d(DS, "app('a') { health beamPing(timeoot: 5) }")                             | '3:28' | "unknown named argument timeoot: for beamPing — did you mean 'timeout:'?"
        'http needs url'                  | d(DS, "app('a') { health http(status: 200) }")                                | '3:19' | 'http needs url:'
        'tcp port is a number'            | d(DS, "app('a') { health tcp(host: 'h', port: '80') }")                       | '3:40' | 'port: expects an int, got String'
        'host without ssh'                | d("cluster('c') { host 'a' }")                                                | '2:16' | "host needs ssh: — host 'a', ssh: 'root@10.0.0.1'"
        'undeclared dataset (literal)'    | d("dataset('apps/exmc')", "app('a') { dataset 'apps/exmcc'; version '1' }")   | '3:20' | "app 'a' uses dataset 'apps/exmcc', which is not declared; did you mean 'apps/exmc'?"
        'undeclared dataset (computed)'   | d("dataset('apps/exmc')", "app('a') { dataset \"apps/\${'ex' + 'mcc'}\"; version '1' }") | '3:12' | "app 'a' uses dataset 'apps/exmcc', which is not declared; did you mean 'apps/exmc'?"
        'dataset declared twice'          | d(DS, DS)                                                                     | '3:1'  | "dataset 'apps/a' is declared twice (first at line 2)"
        'app declared twice'              | d(DS, "dataset('apps/b')", "app('x') { dataset 'apps/a'; version '1' }", "app('x') { dataset 'apps/b'; version '1' }") | '5:1' | "app 'x' is declared twice (first at line 4)"
        'empty path component'            | d("dataset('apps//x')")                                                       | '2:1'  | "invalid dataset name 'apps//x': empty component"
        'mountpoint as dataset path'      | d("dataset('/opt')")                                                          | '2:1'  | "'/opt' looks like a mountpoint; a dataset is named relative to the pool"
        'space in dataset path'           | d("dataset('apps/a b')")                                                      | '2:1'  | "' ' (space) at position 2 of component 3 'a b' is not allowed"
        'bad property name'               | d("dataset('apps/a') { property 'Bad', 'x' }")                                | '2:21' | "invalid property name 'Bad'"
        'compression value'               | d("dataset('apps/a') {", "atime true", "compression 'fast'", "}")             | '4:1'  | "'fast' must be one of"
        'quota value'                     | d("dataset('apps/a') { quota 'lots' }")                                       | '2:21' | "'lots' is not a size"
        'recordsize value'                | d("dataset('apps/a') { recordsize '3K' }")                                    | '2:21' | "'3K' is not a power of two from 512 to 16M"
        'relative mountpoint'             | d("dataset('apps/a') { mountpoint 'relative' }")                              | '2:21' | "'relative' must be an absolute path, none or legacy"
        'property set twice'              | d("dataset('apps/a') { quota '1G'; quota '2G' }")                            | '2:33' | 'quota is set twice in dataset'
        'invalid pool name'               | "deploy('t', pool: 'mirror1') {\n}"                                           | '1:1'  | "a pool name cannot begin with the reserved word 'mirror'"
        'keep 0'                          | d("snapshots { keep 0 }")                                                     | '2:13' | 'keep must be at least 1'
        'bad version'                     | d(DS, "app('a') { dataset 'apps/a'; version 'bad version' }")                 | '3:30' | "'bad version' is not a version"
        'app without version'             | d(DS, "app('a') { dataset 'apps/a' }")                                        | '3:1'  | "app 'a' needs a version"
        'bad nodeName'                    | d(DS, "app('a') { dataset 'apps/a'; version '1'; nodeName 'nohost' }")        | '3:43' | "'nohost' is not a node name (name@host)"
        'beamPing without nodeName'       | d(DS, "app('a') { dataset 'apps/a'; version '1'; health beamPing() }")        | '3:43' | "beamPing needs the app's nodeName"
        'beamPing without cookie'         | d(DS, "app('a') { dataset 'apps/a'; version '1'; nodeName 'a@h'; health beamPing() }") | '3:59' | "beamPing needs the app's cookie"
        'http url scheme'                 | d(DS, "app('a') { dataset 'apps/a'; version '1'", "health http(url: 'ftp://x') }") | '4:1' | 'http url must start with http:// or https://'
        'unclosed block'                  | d("dataset('apps/a') {")                                                      | '1:27' | "syntax error in this block: a '}' is missing"
        'one brace too many'              | d(DS, "}")                                                                    | '4:1'  | "syntax error: unexpected '}'"
        'unclosed string'                 | d("dataset('apps/a)")                                                         | '2:9'  | 'syntax error: a string is not closed'
        'two deploys'                     | "deploy('a', pool: 'tank') {\n}\ndeploy('b', pool: 'tank') {\n}"              | '3:1'  | 'a script declares one deploy; the first is at line 1'
        'no deploy'                       | "def x = 1"                                                                   | '1:1'  | "the script declares no deploy; expected deploy('name', pool: 'tank') { ... }"
        'script throws'                   | d("throw new RuntimeException('boom')")                                       | '2:1'  | 'the script failed (runtime error): boom'
        'division by zero'                | d("int zero = 0", "  def x = 1 / zero")                                       | '3:3'  | 'the script failed: division by zero'
        'variable hiding a verb'          | "def version = '1'\n" + d(DS, "app('a') { dataset 'apps/a'; version version }") | '4:30' | "'version' is a variable here, so it hides the setting version"
        'script method inside a block'    | "String path(String n) { 'apps/' + n }\n" + d("dataset(path('a'))") | '3:9' | 'path is a method of the script, which a block cannot call'
        'unknown variable'                | d("dataset(path) { }")                                                        | '2:9'  | "unknown name 'path' in deploy { }"
        'jail on undeclared dataset'      | d("jail('web') { dataset 'jails/web' }")                                      | '2:15' | "jail 'web' uses dataset 'jails/web', which is not declared"
        'zone with undeclared app'        | d("dataset('zones/db')", "zone('db') { dataset 'zones/db'; contains 'exmc' }") | '3:34' | "zone 'db' contains app 'exmc', which is not declared"
        'bad cluster strategy'            | d("cluster('c') { host 'a', ssh: 'root@h'; strategy 'fastest' }")            | '2:41' | "'fastest' is not a strategy (rolling, all-at-once, canary)"
        'bad cluster ssh'                 | d("cluster('c') { host 'a', ssh: 'nobody' }")                                 | '2:16' | "'nobody' is not user@host[:port]"
    }

    def "every problem is reported, in script order, when a script has several"() {
        when:
        DeployScripts.parse('many.groovy', d(
                "dataset('apps/a') { quota 'lots' }",
                "app('a') { dataset 'apps/a'; version 'bad version' }",
                "snapshots { keep 0 }"))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems()*.toString() == [
                "many.groovy:2:21: quota: 'lots' is not a size (e.g. 512, 64K, 10G, none)",
                "many.groovy:3:30: version: 'bad version' is not a version (letters, digits, . _ + - ; starting with a letter or digit)",
                'many.groovy:4:13: keep: keep must be at least 1 (the newest snapshot is the rollback point), not 0']
    }

    def "compile errors are all reported together, and the script is not run"() {
        when:
        DeployScripts.parse('c.groovy', d(
                "dataset('apps/a') { compresion 'lz4' }",
                "throw new IllegalStateException('must not run')",
                "app('a') { versoin '1' }"))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems()*.toString() == [
                "c.groovy:2:21: unknown setting 'compresion' in dataset { } — did you mean 'compression'?",
                "c.groovy:4:12: unknown setting 'versoin' in app { } — did you mean 'version'?"]
    }

    def "a misspelt block's contents are not reported again"() {
        when:
        DeployScripts.parse('c.groovy', d("datset('apps/a') {", "compression 'lz4'", "bogus 1", "}"))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems()*.toString() == ["c.groovy:2:1: unknown setting 'datset' in deploy { } — did you mean 'dataset'?"]
    }

    def "a block's internal fields are not reachable from a script"() {
        when:
        DeployScripts.parse('f.groovy', d(DS, "app('a') { dataset = 'apps/a'; version '1'; pos }"))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems()*.toString() == [
                "f.groovy:3:12: dataset is a setting, written without '=': dataset 'apps/name'",
                "f.groovy:3:45: unknown name 'pos' in app { }"]
    }

    def "a missing script file is a problem, not a stack trace"() {
        when:
        DeployScripts.load(java.nio.file.Path.of('/nonexistent/zed/deploy.groovy'))

        then:
        def e = thrown(InvalidDeploymentException)
        e.message == '/nonexistent/zed/deploy.groovy:0:0: no such deploy script'
    }
}
