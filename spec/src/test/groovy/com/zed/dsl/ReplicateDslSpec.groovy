package com.zed.dsl

import com.zed.model.InvalidDeploymentException
import com.zed.model.ReplicationSpec
import spock.lang.Specification

import static com.zed.model.Problem.Kind.*

/** replicate { }: the model it builds, and every rule the Validator applies to it, by kind and field. */
class ReplicateDslSpec extends Specification {

    static String d(String... lines) {
        (["deploy('t', pool: 'tank') {"] + lines.toList() + ['}']).join('\n')
    }

    def "a replicate block becomes a ReplicationSpec, in script order"() {
        when:
        def dep = DeployScripts.parse('ok.groovy', d(
                "replicate('apps/trading') { to 'dr', dataset: 'backup/trading'; raw false; compressed true; keep 10 }",
                "replicate('apps/db') { to 'root@10.0.0.2:2222', dataset: 'tank/dr/db'; rollback true }"))

        then:
        dep.replications().size() == 2
        with(dep.replications()[0]) {
            dataset() == 'apps/trading'
            host() == 'dr'
            targetDataset() == 'backup/trading'
            !raw()
            compressed()
            keep() == OptionalInt.of(10)
            !rollback()
            pos().line() == 2
        }
        with(dep.replications()[1]) {
            host() == 'root@10.0.0.2:2222'
            keep().isEmpty()
            rollback()
        }
    }

    def "without replicate blocks a deploy has none"() {
        expect:
        DeployScripts.parse('ok.groovy', d("dataset('apps/a')")).replications() == []
    }

    def "#what: #kind #field"() {
        when:
        DeployScripts.parse('bad.groovy', script)

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems().collect { "${it.kind()} ${it.field()}".toString() } == ["$kind $field".toString()]
        e.problems()[0].pos().line() == (field == 'to.dataset' && what == 'same target twice' ? 3 : 2)   // the second declaration is the one at fault

        where:
        what                    | script                                                                                                          || kind           | field
        'no target'             | d("replicate('apps/a') { keep 3 }")                                                                             || MISSING        | 'to'
        'bad host'              | d("replicate('apps/a') { to 'root@', dataset: 'b/a' }")                                                          || INVALID_VALUE  | 'to.arg1'
        'pool root as target'   | d("replicate('apps/a') { to 'dr', dataset: 'backup' }")                                                          || INVALID_VALUE  | 'to.dataset'
        'bad target name'       | d("replicate('apps/a') { to 'dr', dataset: 'backup/a@x' }")                                                      || INVALID_NAME   | 'to.dataset'
        'bad source name'       | d("replicate('apps/a b@') { to 'dr', dataset: 'backup/a' }")                                                     || INVALID_NAME   | 'replicate'
        'keep 0'                | d("replicate('apps/a') { to 'dr', dataset: 'backup/a'; keep 0 }")                                                || OUT_OF_RANGE   | 'keep'
        'to twice'              | d("replicate('apps/a') { to 'dr', dataset: 'backup/a'; to 'dr2', dataset: 'backup/b' }")                         || DUPLICATE      | 'to'
        'same target twice'     | d("replicate('apps/a') { to 'dr', dataset: 'backup/a' }\nreplicate('apps/b') { to 'dr', dataset: 'backup/a' }") || DUPLICATE      | 'to.dataset'
    }

    def "a misspelt or misplaced verb is caught at compile time"() {
        when:
        DeployScripts.parse('bad.groovy', d("replicate('apps/a') { to 'dr', dataset: 'backup/a'; kep 3 }"))

        then:
        def e = thrown(InvalidDeploymentException)
        e.problems()*.kind() == [UNKNOWN_VERB]
    }

    def "the named argument is required and typed"() {
        when:
        DeployScripts.parse('bad.groovy', d("replicate('apps/a') { to 'dr' }"))

        then:
        thrown(InvalidDeploymentException)
    }
}
