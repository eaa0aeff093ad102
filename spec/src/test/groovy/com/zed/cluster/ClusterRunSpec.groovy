package com.zed.cluster

import com.zed.converge.Cancellation
import com.zed.converge.Converger
import com.zed.converge.Plan
import com.zed.model.ClusterSpec.Fallback
import com.zed.model.ClusterSpec.Strategy
import com.zed.zfs.PoolName
import spock.lang.Specification

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch

import static com.zed.model.ClusterSpec.Fallback.*
import static com.zed.model.ClusterSpec.Strategy.*

/**
 * The coordinator against hosts that behave like the single-host transaction does: a failed converge
 * leaves its host on the old version, a stopped one too, a finished one is on the new version until a
 * rollback returns it. Four hosts, the third fails; the final version of every host is asserted.
 */
class ClusterRunSpec extends Specification {

    /** Every host's version: old, new, or unknown (a lost host until its recovery). */
    Map<String, String> world = new ConcurrentHashMap<>()
    List<String> events = Collections.synchronizedList([])
    /** Opened when the coordinator has reacted to the first failure (hosts in flight wait for it). */
    CountDownLatch reacted = new CountDownLatch(1)

    class FakeHost implements ClusterHost {
        final String name
        String behaviour = 'ok'     // ok | fail | lost | late-lost | unreachable | unchanged | rollback-fails
        boolean reachableAgain = true
        boolean waitForReaction
        List<String> calls = Collections.synchronizedList([])

        FakeHost(String name) { this.name = name; world[name] = 'old' }

        String name() { name }

        Plan plan() {
            calls << 'plan'
            if (behaviour == 'unreachable') {
                throw new ClusterHost.HostLostException("cannot connect to $name: Connection refused", null)
            }
            new Plan('web', PoolName.of('jeff'), [])
        }

        Converger.Result converge() {
            calls << 'converge'
            if (waitForReaction) {
                reacted.await()
            }
            if (Cancellation.requested()) {   // this host's scope was asked to stop: its transaction undoes itself
                return result(Converger.Outcome.ROLLED_BACK, 'stopped by the operator (cluster)')
            }
            switch (behaviour) {
                case 'fail': return result(Converger.Outcome.ROLLED_BACK, 'health check failed')
                case 'lost': world[name] = 'unknown'; throw new ClusterHost.HostLostException("SSH session to $name lost", null)
                case 'late-lost': world[name] = 'new'; committed = true   // committed, then the report was lost
                    throw new ClusterHost.HostLostException("SSH session to $name lost", null)
                case 'unchanged': world[name] = 'new'; return result(Converger.Outcome.NO_CHANGES, null)
                default: world[name] = 'new'; return result(Converger.Outcome.APPLIED, null)
            }
        }

        void rollback(String snapshot) {
            calls << "rollback $snapshot".toString()
            if (behaviour == 'rollback-fails') {
                throw new IllegalStateException('zfs rollback: dataset is busy')
            }
            world[name] = 'old'
        }

        boolean committed

        HostReport.Outcome reconcile(java.time.Instant since, boolean rollback) {
            calls << "reconcile rollback=$rollback".toString()
            if (!reachableAgain) {
                throw new ClusterHost.HostLostException("cannot connect to $name", null)
            }
            if (!committed) {
                world[name] = 'old'     // its recovery
                return HostReport.Outcome.FAILED
            }
            if (rollback) {
                world[name] = 'old'
                return HostReport.Outcome.ROLLED_BACK
            }
            HostReport.Outcome.UPDATED
        }

        void close() { }

        private Converger.Result result(Converger.Outcome o, String error) {
            new Converger.Result(o, new Plan('web', PoolName.of('jeff'), []),
                    Optional.of("zed-web-$name".toString()), [], Optional.ofNullable(error), Optional.empty())
        }
    }

    List<FakeHost> hosts(int n = 4) { (1..n).collect { new FakeHost("h$it") } }

    ClusterRun.Report run(List<FakeHost> hs, Strategy s, Fallback f, int parallel = 1) {
        def run = new ClusterRun(hs, new ClusterRun.Settings(s, f, parallel), { String e ->
            events << e
            if (e.startsWith('host ') && e.contains(' failed (')) {
                reacted.countDown()
            }
        })
        run.apply(run.plan())
    }

    def cleanup() {
        Cancellation.reset()
    }

    def "one after another, host 3 fails its health check: #strategy / #fallback leaves #versions"() {
        given:
        def hs = hosts()
        hs[2].behaviour = 'fail'

        when:
        def r = run(hs, strategy, fallback)

        then: 'every host ends on a known version, the one the strategy and fallback promise'
        hs.collect { world[it.name] }.join(' ') == versions
        r.hosts()*.outcome()*.word().join(' ') == outcomes
        r.known()
        !r.ok()
        r.firstFailure() == Optional.of('h3')

        where:
        strategy | fallback | versions          | outcomes
        ONE4ALL  | ROLLBACK | 'old old old old' | 'rolled-back rolled-back failed skipped'
        ONE4REST | ROLLBACK | 'new new old old' | 'updated updated failed skipped'
        ONE4ONE  | ROLLBACK | 'new new old new' | 'updated updated failed updated'
        ONE4ALL  | IGNORE   | 'new new old new' | 'updated updated failed updated'
        ONE4REST | IGNORE   | 'new new old new' | 'updated updated failed updated'
        ONE4ONE  | IGNORE   | 'new new old new' | 'updated updated failed updated'
        ONE4ALL  | STOP     | 'new new old old' | 'updated updated failed skipped'
        ONE4REST | STOP     | 'new new old old' | 'updated updated failed skipped'
        ONE4ONE  | STOP     | 'new new old old' | 'updated updated failed skipped'
    }

    def "two at a time, host 3 fails while host 4 is in flight: #strategy / #fallback leaves #versions"() {
        given: 'host 4 runs beside host 3 and finishes only after the coordinator has reacted to host 3'
        def hs = hosts()
        hs[2].behaviour = 'fail'
        hs[3].waitForReaction = true

        when:
        def r = run(hs, strategy, fallback, 2)

        then:
        hs.collect { world[it.name] }.join(' ') == versions
        r.hosts()*.outcome()*.word().join(' ') == outcomes
        r.known()

        where:
        strategy | fallback | versions          | outcomes
        ONE4ALL  | ROLLBACK | 'old old old old' | 'rolled-back rolled-back failed cancelled'
        ONE4REST | ROLLBACK | 'new new old old' | 'updated updated failed cancelled'
        ONE4ONE  | ROLLBACK | 'new new old new' | 'updated updated failed updated'
        ONE4ALL  | IGNORE   | 'new new old new' | 'updated updated failed updated'
        ONE4ALL  | STOP     | 'new new old new' | 'updated updated failed updated'
        ONE4ONE  | STOP     | 'new new old new' | 'updated updated failed updated'
    }

    def "a host lost mid-run counts as failed; reached again, its recovery puts it back on the old state"() {
        given:
        def hs = hosts()
        hs[2].behaviour = 'lost'

        when:
        def r = run(hs, ONE4ALL, ROLLBACK)

        then:
        r.hosts()*.outcome()*.word() == ['rolled-back', 'rolled-back', 'failed', 'skipped']
        r.known()
        r.hosts()[2].error().get().contains('lost')
        hs[2].calls.contains('reconcile rollback=true')
        world.h1 == 'old' && world.h2 == 'old' && world.h4 == 'old'
    }

    def "a host lost mid-run is reached again before the run ends: #behaviour under #strategy / #fallback ends #versions"() {
        given:
        def hs = hosts()
        hs[1].behaviour = behaviour

        when:
        def r = run(hs, strategy, fallback)

        then: 'settled in this run: recovered to old, or committed (and rolled back when the fallback says so)'
        hs.collect { world[it.name] }.join(' ') == versions
        r.hosts()*.outcome()*.word().join(' ') == outcomes
        r.known()
        r.firstFailure() == Optional.of('h2')

        where:
        behaviour   | strategy | fallback | versions          | outcomes
        'late-lost' | ONE4ALL  | ROLLBACK | 'old old old old' | 'rolled-back rolled-back skipped skipped'
        'late-lost' | ONE4ONE  | IGNORE   | 'new new new new' | 'updated updated updated updated'
        'lost'      | ONE4ONE  | IGNORE   | 'new old new new' | 'updated failed updated updated'
        'lost'      | ONE4ALL  | ROLLBACK | 'old old old old' | 'rolled-back failed skipped skipped'
    }

    def "a lost host that stays unreachable is reported lost, and the run says so"() {
        given:
        def hs = hosts()
        hs[1].behaviour = 'lost'
        hs[1].reachableAgain = false

        when:
        def r = run(hs, ONE4ONE, IGNORE)

        then:
        r.hosts()*.outcome()*.word() == ['updated', 'lost', 'updated', 'updated']
        !r.known()
        world.h2 == 'unknown'
        events.any { it.contains('[h2] still unreachable') }
    }

    def "a host that cannot be reached at planning fails first: #strategy / #fallback starts #started"() {
        given:
        def hs = hosts()
        hs[2].behaviour = 'unreachable'

        when:
        def r = run(hs, strategy, fallback)

        then: 'the fallback decides before any host changes'
        hs.findAll { 'converge' in it.calls }*.name == started
        r.hosts()[2].outcome() == HostReport.Outcome.LOST
        hs.every { it.calls.every { !it.startsWith('rollback') } }

        where:
        strategy | fallback | started
        ONE4ALL  | ROLLBACK | []
        ONE4REST | ROLLBACK | []
        ONE4ONE  | ROLLBACK | ['h1', 'h2', 'h4']
        ONE4ALL  | IGNORE   | ['h1', 'h2', 'h4']
        ONE4ALL  | STOP     | []
    }

    def "one4all rolls back only what this run changed: an unchanged host is left alone"() {
        given:
        def hs = hosts()
        hs[0].behaviour = 'unchanged'
        hs[2].behaviour = 'fail'

        when:
        def r = run(hs, ONE4ALL, ROLLBACK)

        then:
        r.hosts()*.outcome()*.word() == ['unchanged', 'rolled-back', 'failed', 'skipped']
        hs[0].calls == ['plan', 'converge']
        hs[1].calls == ['plan', 'converge', 'rollback zed-web-h2']
    }

    def "a rollback that fails is reported, and the other hosts are still rolled back"() {
        given:
        def hs = hosts()
        hs[0].behaviour = 'rollback-fails'
        hs[2].behaviour = 'fail'

        when:
        def r = run(hs, ONE4ALL, ROLLBACK)

        then:
        r.hosts()*.outcome()*.word() == ['rollback-failed', 'rolled-back', 'failed', 'skipped']
        r.hosts()[0].error().get().contains('busy')
        !r.known()
        world.h2 == 'old'
    }

    def "no failure: every host updated in declared order, batch by batch"() {
        given:
        def hs = hosts(5)

        when:
        def r = run(hs, ONE4ALL, ROLLBACK, 2)

        then:
        r.ok()
        r.hosts()*.host() == ['h1', 'h2', 'h3', 'h4', 'h5']
        hs.every { world[it.name] == 'new' }
        r.firstFailure().isEmpty()
        and: 'a batch starts only after the previous one has finished'
        def order = events.findAll { it.endsWith('converging') || it.endsWith('] updated') }
        order.indexOf('[h3] converging') > order.indexOf('[h1] updated')
        order.indexOf('[h3] converging') > order.indexOf('[h2] updated')
        order.indexOf('[h5] converging') > order.indexOf('[h4] updated')
    }

    def "a stop requested for one host's scope leaves another host's transaction alone"() {
        given:
        def a = Cancellation.scope()
        def b = Cancellation.scope()

        when:
        a.request('cluster: host x failed')

        then:
        a.run { Cancellation.requested() }
        !b.run { Cancellation.requested() }

        when: 'the operator signal reaches every running scope'
        boolean seen = b.run { Cancellation.request('SIGTERM'); Cancellation.requested() }

        then:
        seen
    }
}
