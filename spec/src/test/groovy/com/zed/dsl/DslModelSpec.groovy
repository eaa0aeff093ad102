package com.zed.dsl

import com.zed.model.AppSpec
import com.zed.model.ClusterSpec
import com.zed.model.DatasetSpec
import com.zed.model.Deployment
import com.zed.model.HealthCheckSpec
import com.zed.model.JailSpec
import com.zed.model.SecretRef
import com.zed.model.SnapshotPolicy
import com.zed.model.SourcePos
import com.zed.model.ZoneSpec
import com.zed.zfs.PoolName
import com.zed.zfs.PropertyName
import com.zed.zfs.PropertyValues
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

/** Good scripts become exactly the model they describe, with the position of every element. */
class DslModelSpec extends Specification {

    static SourcePos at(int line, int col) {
        new SourcePos('s.groovy', line, col)
    }

    static Map<PropertyName, String> props(Map<String, String> m) {
        m.collectEntries { k, v -> [PropertyName.of(k), v] } as Map<PropertyName, String>
    }

    def "the full grammar builds the exact model"() {
        when:
        def d = DeployScripts.parse('s.groovy', '''\
deploy('trading', pool: 'jeff') {
    dataset('apps/exmc') {
        mountpoint '/opt/exmc'; compression 'lz4'; recordsize '16K'; atime false; quota '10G'
        property 'com.example:team', 'trading'
    }
    dataset('jails/web')
    dataset('zones/db')
    app('exmc') {
        dataset 'apps/exmc'; version '1.4.2'; nodeName 'exmc@127.0.0.1'
        cookie env('RELEASE_COOKIE')
        health beamPing(timeout: 5000)
        health http(url: 'http://127.0.0.1:4000/health', status: 200, timeout: 2000)
        health tcp(host: '127.0.0.1', port: 4000, timeout: 1000)
        health rpc(module: 'erlang', function: 'node', args: [], expect: "'exmc@127.0.0.1'", timeout: 3000)
    }
    snapshots { beforeDeploy false; keep 5 }
    jail('web') { dataset 'jails/web'; contains 'exmc'; param 'ip4.addr', '10.0.0.5' }
    zone('db') { dataset 'zones/db'; contains 'exmc'; param 'brand', 'sparse' }
    cluster('trading') { host 'a', ssh: 'root@10.0.0.1'; host 'b', ssh: 'fra', labels: ['prod', 'eu'], pool: 'tank'; strategy 'one4rest'; fallback 'stop'; parallel 2 }
}
''')

        then:
        d == new Deployment('trading', PoolName.of('jeff'),
                [new DatasetSpec('apps/exmc', props(mountpoint: '/opt/exmc', compression: 'lz4', recordsize: '16K',
                        atime: 'off', quota: '10G', 'com.example:team': 'trading'), at(2, 5)),
                 new DatasetSpec('jails/web', [:], at(6, 5)),
                 new DatasetSpec('zones/db', [:], at(7, 5))],
                [new AppSpec('exmc', 'apps/exmc', '1.4.2', Optional.of('exmc@127.0.0.1'),
                        Optional.of(new SecretRef.Env('RELEASE_COOKIE')),
                        [new HealthCheckSpec.BeamPing(5000),
                         new HealthCheckSpec.Http('http://127.0.0.1:4000/health', 200, 2000),
                         new HealthCheckSpec.Tcp('127.0.0.1', 4000, 1000),
                         new HealthCheckSpec.Rpc('erlang', 'node', [], "'exmc@127.0.0.1'", 3000)],
                        at(8, 5), at(9, 9))],
                new SnapshotPolicy(false, 5, at(16, 5)),
                [new JailSpec('web', 'jails/web', ['exmc'], ['ip4.addr': '10.0.0.5'], at(17, 5))],
                [new ZoneSpec('db', 'zones/db', ['exmc'], [brand: 'sparse'], at(18, 5))],
                Optional.of(new ClusterSpec('trading', [
                        new ClusterSpec.HostSpec('a', 'root@10.0.0.1', [], Optional.empty(), at(19, 26)),
                        new ClusterSpec.HostSpec('b', 'fra', ['prod', 'eu'], Optional.of('tank'), at(19, 58))],
                        'one4rest', 'stop', 2, at(19, 5))),
                at(1, 1))
    }

    def "a cluster host converges the deploy on its own pool, with its environment over every app's"() {
        when:
        def d = DeployScripts.parse('s.groovy', '''\
deploy('d', pool: 'tank') {
    dataset('apps/a')
    app('a') { dataset 'apps/a'; version '1'; environment 'PORT', '4000'; environment 'MODE', 'prod' }
    cluster('c') {
        host 'x', ssh: 'x'
        host 'y', ssh: 'y', pool: 'zy', env: [PORT: '4001', ZONE: 'b']
    }
}''')
        def x = d.onHost(d.cluster().get().hosts()[0])
        def y = d.onHost(d.cluster().get().hosts()[1])

        then:
        x == d
        y.pool().value() == 'zy'
        y.apps()[0].environment().collectEntries { k, v -> [k, v.value()] } == [MODE: 'prod', PORT: '4001', ZONE: 'b']
        y.datasets() == d.datasets()
    }

    def "defaults: snapshots, health timeouts, http status, cluster strategy, fallback and parallel"() {
        when:
        def d = DeployScripts.parse('s.groovy', '''\
deploy('d', pool: 'tank') {
    dataset('apps/a')
    app('a') {
        dataset 'apps/a'; version '1'; nodeName 'a@h'; cookie env('C')
        health beamPing()
        health http(url: 'https://h/ready')
        health tcp(host: 'h', port: 1)
        health rpc(module: 'm', function: 'f', expect: 'ok')
    }
    cluster('c') { host 'x', ssh: 'u@h' }
}''')

        then:
        d.snapshots() == SnapshotPolicy.DEFAULT
        d.apps()[0].health() == [new HealthCheckSpec.BeamPing(5000), new HealthCheckSpec.Http('https://h/ready', 200, 5000),
                                 new HealthCheckSpec.Tcp('h', 1, 5000), new HealthCheckSpec.Rpc('m', 'f', [], 'ok', 5000)]
        d.apps()[0].cookie().get() == new com.zed.model.SecretRef.Env('C')
        d.cluster().get().strategy() == 'one4all'
        d.cluster().get().fallback() == 'rollback'
        d.cluster().get().parallel() == 1
        d.cluster().get().hosts()[0].labels().isEmpty()
        d.jails().isEmpty() && d.zones().isEmpty()
        d.dataset('apps/a').get().properties().isEmpty()
    }

    def "secrets stay references: nothing is read at load time"() {
        given: 'a variable that is not set and a file that does not exist'
        def unset = 'ZED_SPEC_UNSET_' + UUID.randomUUID().toString().replace('-', '_')
        assert System.getenv(unset) == null

        when:
        def d = DeployScripts.parse('s.groovy', """\
def shared = file('/nonexistent/zed/cookie')
deploy('d', pool: 'tank') {
    dataset('apps/a')
    dataset('apps/b')
    app('a') { dataset 'apps/a'; version '1'; cookie env('$unset') }
    app('b') { dataset 'apps/b'; version '1'; cookie shared }
}""")

        then:
        d.app('a').get().cookie().get() == new SecretRef.Env(unset)
        d.app('b').get().cookie().get() == new SecretRef.File('/nonexistent/zed/cookie')
        d.toString().contains("env($unset)")
    }

    def "booleans become on/off, copies and limits become ZFS numbers"() {
        when:
        def ds = DeployScripts.parse('s.groovy', '''\
deploy('d', pool: 'tank') {
    dataset('apps/a') { atime true; readonly false; exec true; copies 2; snapshot_limit 10; filesystem_limit 'none' }
}''').datasets()[0]

        then:
        ds.properties() == props(atime: 'on', readonly: 'off', exec: 'on', copies: '2', snapshot_limit: '10',
                filesystem_limit: 'none')
    }

    def "every native property Zed knows has a typed verb in dataset { }"() {
        expect:
        PropertyValues.settableNative().every { it in Blocks.verbs(DatasetBlock) }
        Blocks.verbs(DatasetBlock) - PropertyValues.settableNative() == ['property'] as Set
    }

    def "each typed verb sets the property of its own name"() {
        given: 'a dataset block used directly, outside any script'
        def block = new DatasetBlock(new ScriptState('s.groovy', 'NoScript', new VerbPositions()), 'apps/a', at(1, 1))

        when:
        block."$verb"(value)

        then:
        block.build().properties() == props((verb): expected)

        where:
        verb                   | value    | expected
        'atime'                | false    | 'off'
        'nbmand'               | true     | 'on'
        'copies'               | 3        | '3'
        'snapshot_limit'       | 7        | '7'
        'compression'          | 'zstd-3' | 'zstd-3'
        'special_small_blocks' | '32K'    | '32K'
        'redundant_metadata'   | 'most'   | 'most'
        'refreservation'       | 'none'   | 'none'
        'sharenfs'             | 'ro'     | 'ro'
    }

    def "loops and variables are plain Groovy; each element gets the position of its line"() {
        when:
        def d = DeployScripts.parse('s.groovy', '''\
def release = '2.0.1'
deploy('d', pool: 'tank') {
    ['eu', 'us'].each { region ->
        dataset("apps/${region}") { property 'com.example:region', region }
    }
    for (String r in ['eu', 'us']) {
        app("api-${r}") { dataset "apps/${r}"; version release }
    }
}''')

        then:
        d.datasets()*.path() == ['apps/eu', 'apps/us']
        d.datasets()*.pos() == [at(4, 9), at(4, 9)]
        d.datasets()[1].properties() == props('com.example:region': 'us')
        d.apps()*.name() == ['api-eu', 'api-us']
        d.apps()*.version() == ['2.0.1', '2.0.1']
        d.apps()*.datasetPos() == [at(7, 27), at(7, 27)]
    }

    def "values computed by script methods before deploy are usable inside blocks"() {
        when:
        def d = DeployScripts.parse('s.groovy', '''\
String pathOf(String app) { "apps/${app}" }
def exmc = pathOf('exmc')
deploy('d', pool: 'tank') {
    dataset(exmc)
    app('exmc') { dataset exmc; version '1' }
}''')

        then:
        d.app('exmc').get().dataset() == 'apps/exmc'
    }

    def "a post-evaluation problem points at the verb that set the field, not at its block"() {
        when:
        DeployScripts.parse('s.groovy', '''\
deploy('d', pool: 'tank') {
    dataset('apps/a') {
        atime false
        compression 'fast'
    }
}''')

        then:
        def e = thrown(com.zed.model.InvalidDeploymentException)
        e.problems()*.pos() == [at(4, 9)]
    }

    def "every example in scripts/ loads and validates"() {
        given:
        def dir = Path.of(System.getProperty('zed.repo', '..'), 'scripts')
        def examples = Files.list(dir).withCloseable { s -> s.filter { it.toString().endsWith('.groovy') }.toList() }.toSorted()

        expect:
        examples*.fileName*.toString().containsAll(['trading.groovy', 'analytics.groovy', 'edge-cluster.groovy'])
        examples.every { DeployScripts.load(it).name() }
    }

    def "scripts/trading.groovy is the lab deploy: pool jeff, apps/exmc, version 1.4.2, keep 5"() {
        when:
        def d = DeployScripts.load(Path.of(System.getProperty('zed.repo', '..'), 'scripts', 'trading.groovy'))

        then:
        d.pool() == PoolName.of('jeff')
        d.datasets()*.path() == ['apps/exmc']
        d.app('exmc').get().version() == '1.4.2'
        d.app('exmc').get().dataset() == 'apps/exmc'
        d.snapshots().keep() == 5
        d.jails().isEmpty() && d.zones().isEmpty() && d.cluster().isEmpty()
    }
}
