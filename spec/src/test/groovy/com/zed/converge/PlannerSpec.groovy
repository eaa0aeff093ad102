package com.zed.converge

import com.zed.support.Fixtures
import com.zed.zfs.PropertyName
import com.zed.zfs.PropertyTable
import spock.lang.Specification

import static com.zed.support.Models.*

/** Planning is a pure function (declared, actual) → plan. These specs pin down its diff. */
class PlannerSpec extends Specification {

    /** A pool with one existing dataset whose `prop` is reported as (value, source). */
    static PropertyTable actual(String prop, String value, String source) {
        def rows = [['jeff', 'type', 'filesystem', '-'], ['jeff/app', 'type', 'filesystem', '-'],
                    ['jeff/app', 'com.zed:deploy', 'd', 'local']]
        if (value != null) {
            rows << ['jeff/app', prop, value, source]
        }
        PropertyTable.parse(getOutput(rows))
    }

    def "#prop: actual #actualValue (#source) vs declared #declared → #verdict"() {
        given:
        def d = deployment('d', 'jeff', [dataset('app', [(prop): declared])])

        when:
        def plan = Planner.plan(d, actual(prop, actualValue, source))

        then:
        plan.isEmpty() == !change
        !change || plan.steps() == [new Step.SetProperties(jeff('app'), [new Step.PropertyChange(
                PropertyName.of(prop), Optional.ofNullable(actualValue), actualValue == null ? '-' : source, declared)])]

        where:
        prop                   | actualValue  | source                   | declared      | change
        // sizes: -p prints bytes; every spelling of the same size is the same
        'quota'                | '1073741824' | 'local'                  | '1G'          | false
        'quota'                | '1073741824' | 'local'                  | '1024M'       | false
        'quota'                | '1073741824' | 'local'                  | '1048576K'    | false
        'quota'                | '1073741824' | 'local'                  | '1GiB'        | false
        'quota'                | '1073741824' | 'local'                  | '2G'          | true
        'quota'                | '1073741824' | 'local'                  | '1023M'       | true
        // -p prints none as 0
        'quota'                | '0'          | 'default'                | 'none'        | false
        'refquota'             | '0'          | 'default'                | 'none'        | false
        'quota'                | '0'          | 'default'                | '1G'          | true
        'quota'                | '1073741824' | 'local'                  | 'none'        | true
        'reservation'          | '536870912'  | 'local'                  | '0.5G'        | false
        'recordsize'           | '131072'     | 'default'                | '128K'        | false
        'recordsize'           | '131072'     | 'default'                | '16K'         | true
        'special_small_blocks' | '0'          | 'default'                | '0'           | false
        // the source does not matter when the effective value is the same
        'compression'          | 'lz4'        | 'inherited from jeff'    | 'lz4'         | false
        'compression'          | 'lz4'        | 'received'               | 'lz4'         | false
        'compression'          | 'lz4'        | 'local'                  | 'LZ4'         | false
        'compression'          | 'off'        | 'default'                | 'off'         | false
        'compression'          | 'lz4'        | 'received'               | 'zstd'        | true
        // 'on' is its own value to zfs, not an alias of today's default algorithm
        'compression'          | 'on'         | 'local'                  | 'lz4'         | true
        'sync'                 | 'standard'   | 'default'                | 'STANDARD'    | false
        // booleans: on/off, and the aliases people write
        'atime'                | 'on'         | 'default'                | 'true'        | false
        'atime'                | 'off'        | 'local'                  | 'no'          | false
        'atime'                | 'on'         | 'default'                | 'off'         | true
        'readonly'             | 'off'        | 'default'                | 'on'          | true
        // mountpoints: a trailing slash is the same path; inheritance is not a reason to change
        'mountpoint'           | '/opt/exmc'  | 'local'                  | '/opt/exmc/'  | false
        'mountpoint'           | '/jeff/app'  | 'inherited from jeff'    | '/jeff/app'   | false
        'mountpoint'           | '/jeff/app'  | 'inherited from jeff'    | '/opt/exmc'   | true
        // user properties compare exactly; absent or '-' means unset
        'com.example:team'     | null         | null                     | 'trading'     | true
        'com.example:team'     | 'trading'    | 'local'                  | 'trading'     | false
        'com.example:team'     | 'trading'    | 'inherited from jeff'    | 'trading'     | false
        'com.example:team'     | 'trading'    | 'received'               | 'trading'     | false
        'com.example:team'     | 'Trading'    | 'local'                  | 'trading'     | true
        'com.example:team'     | 'trading '   | 'local'                  | 'trading'     | true
        'copies'               | '1'          | 'default'                | '1'           | false
        'xattr'                | 'sa'         | 'local'                  | 'sa'          | false
        verdict = change ? 'change' : 'no change'
    }

    def "a user property printed as '-' is unset, and a change records it as coming from nothing"() {
        given:
        def d = deployment('d', 'jeff', [dataset('app', ['com.example:x': 'y'])])

        when:
        def plan = Planner.plan(d, actual('com.example:x', '-', '-'))

        then:
        plan.steps()[0].changes()[0].from() == Optional.empty()
    }

    def "a new dataset is created with its properties and Zed's deploy marker; parents come first"() {
        given:
        def d = deployment('trading', 'jeff', [dataset('apps/exmc/data', ['recordsize': '16K']),
                                               dataset('apps/exmc', ['compression': 'lz4'])],
                [app('exmc', 'apps/exmc', '1.4.2')])

        when:
        def plan = Planner.plan(d, PropertyTable.parse(getOutput([['jeff', 'type', 'filesystem', '-']])))

        then:
        plan.steps() == [
                new Step.CreateDataset(jeff('apps/exmc'), [(PropertyName.of('compression')): 'lz4',
                        (ZedProperties.DEPLOY): 'trading', (ZedProperties.APP): 'exmc']),
                new Step.DeployApp(jeff('apps/exmc'), 'exmc', Optional.empty(), '1.4.2'),
                new Step.CreateDataset(jeff('apps/exmc/data'), [(PropertyName.of('recordsize')): '16K',
                        (ZedProperties.DEPLOY): 'trading']),
        ]
        plan.created() == [jeff('apps/exmc'), jeff('apps/exmc/data')] as Set
        plan.existingAffected().isEmpty()
    }

    def "a version bump is a DeployApp from the version recorded on the dataset itself"() {
        given:
        def d = deployment('trading', 'jeff', [dataset('apps/exmc')], [app('exmc', 'apps/exmc', '1.4.2')])
        def state = PropertyTable.parse(getOutput([
                ['jeff', 'type', 'filesystem', '-'],
                ['jeff/apps/exmc', 'com.zed:deploy', 'trading', 'local'],
                ['jeff/apps/exmc', 'com.zed:app', 'exmc', 'local'],
                ['jeff/apps/exmc', 'com.zed:version', version, source]]))

        when:
        def plan = Planner.plan(d, state)

        then:
        plan.steps() == expected.collect { new Step.DeployApp(jeff('apps/exmc'), 'exmc', Optional.ofNullable(it), '1.4.2') }

        where:
        version | source                     | expected
        '1.4.2' | 'local'                    | []
        '1.4.1' | 'local'                    | ['1.4.1']
        '1.4.1' | 'received'                 | ['1.4.1']
        // a version inherited from a parent dataset is another app's, not this one's
        '1.4.2' | 'inherited from jeff/apps' | [null]
    }

    def "against a state recorded from OpenZFS 2.3, only the real differences are planned"() {
        given: 'the recorded tree: jeff/fx (lz4, atime off, com.zed:version local), jeff/fx/app (quota 1G, recordsize 16K)'
        def state = PropertyTable.parse(Fixtures.text('2.3', 'get-r-all.txt'))
        def d = deployment('fx', 'jeff', [
                dataset('fx', ['compression': 'lz4', 'atime': 'off']),
                dataset('fx/app', ['quota': '1024M', 'recordsize': '16K', 'com.zed:deployed-by': 'ops', 'compression': 'lz4']),
                dataset('fx/new')])

        when:
        def plan = Planner.plan(d, state)

        then: 'fx and fx/app only lack the deploy marker; fx/new is created'
        plan.steps() == [
                new Step.SetProperties(jeff('fx'), [new Step.PropertyChange(ZedProperties.DEPLOY, Optional.empty(), '-', 'fx')]),
                new Step.SetProperties(jeff('fx/app'), [new Step.PropertyChange(ZedProperties.DEPLOY, Optional.empty(), '-', 'fx')]),
                new Step.CreateDataset(jeff('fx/new'), [(ZedProperties.DEPLOY): 'fx']),
        ]
    }

    def "the plan renders as a + ~ diff and as JSON; an empty plan says so"() {
        given:
        def d = deployment('trading', 'jeff', [dataset('apps/exmc', ['quota': '2G']), dataset('apps/new')],
                [app('exmc', 'apps/exmc', '1.4.2')])
        def state = PropertyTable.parse(getOutput([
                ['jeff', 'type', 'filesystem', '-'],
                ['jeff/apps/exmc', 'quota', '1073741824', 'local'],
                ['jeff/apps/exmc', 'com.zed:deploy', 'trading', 'local'],
                ['jeff/apps/exmc', 'com.zed:app', 'exmc', 'local'],
                ['jeff/apps/exmc', 'com.zed:version', '1.4.1', 'local']]))

        when:
        def plan = Planner.plan(d, state)
        def text = PlanFormat.text(plan)
        def json = PlanFormat.json(plan)

        then:
        text.contains('~ dataset jeff/apps/exmc\n    ~ quota = 1073741824 → 2G\n')
        text.contains('~ app exmc 1.4.1 → 1.4.2 on jeff/apps/exmc')
        text.contains('+ dataset jeff/apps/new\n    + com.zed:deploy = trading\n')
        text.endsWith('Plan: 1 dataset(s) to create, 1 to change, 1 app(s) to deploy.\n')
        json.changes == true
        json.steps*.op == ['set', 'deploy-app', 'create']
        json.steps[0].changes[0] == [property: 'quota', from: '1073741824', fromSource: 'local', to: '2G']
        plan.summary() == '+1 dataset; exmc 1.4.1→1.4.2; ~quota'

        expect:
        PlanFormat.text(new Plan('trading', com.zed.zfs.PoolName.of('jeff'), [])) == "No changes: pool 'jeff' matches deploy 'trading'.\n"
    }

    static com.zed.zfs.DatasetName jeff(String path) {
        com.zed.zfs.DatasetName.of('jeff/' + path)
    }
}
