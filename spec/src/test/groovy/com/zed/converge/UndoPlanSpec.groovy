package com.zed.converge

import com.zed.zfs.DatasetName
import com.zed.zfs.SnapshotName
import spock.lang.Specification

import static com.zed.converge.UndoPlan.UndoStep.*

/** The pure undo plan: a transaction's intent and what of it is on the pool → the steps back. */
class UndoPlanSpec extends Specification {
    static final String ID = 'zed-web-20261124T120000.000Z'

    static Txn txn(List<Txn.App> apps, boolean keep = true, List<String> parents = []) {
        new Txn(ID, Txn.DEPLOY, 'web', 'jeff', 'now', 'ci@build', 'sha256:x', keep, parents, apps, null, false)
    }

    static Txn.App upgrade(String app = 'web', String from = '1.0.0') {
        new Txn.App(app, "jeff/apps/$app", "/jeff/apps/$app", from, '1.0.1', false, false)
    }

    static SnapshotName snap(String ds) {
        SnapshotName.of("$ds@$ID")
    }

    def "an upgrade is undone by stopping the app, rolling back, restoring properties and files, and starting the old release"() {
        when:
        def steps = UndoPlan.plan(txn([upgrade()]), [snap('jeff/apps/web')], [], Optional.empty(), 'interrupted')

        then:
        steps == [new StopApp('web'), new RollbackTo(snap('jeff/apps/web'), false), new RestoreProperties(snap('jeff/apps/web')),
                  new RestoreFiles('web', ID), new StartApp('web', 'jeff/apps/web', '/jeff/apps/web', Optional.of('1.0.0')),
                  new Mark(snap('jeff/apps/web'), 'interrupted')]
    }

    def "the stop comes before any dataset is touched, and starting the old release after everything is back"() {
        when:
        def steps = UndoPlan.plan(txn([upgrade()], true, ['jeff/new']), [snap('jeff/apps/web')],
                [DatasetName.of('jeff/new/a'), DatasetName.of('jeff/new')], Optional.empty(), 'rolled-back')
        def kinds = steps*.class*.simpleName

        then:
        kinds.indexOf('StopApp') < kinds.indexOf('DestroyDataset')
        kinds.indexOf('StopApp') < kinds.indexOf('RollbackTo')
        kinds.indexOf('StartApp') > kinds.lastIndexOf('RestoreFiles')
        kinds.indexOf('StartApp') > kinds.lastIndexOf('RestoreProperties')
    }

    def "created datasets are destroyed deepest first"() {
        when:
        def steps = UndoPlan.plan(txn([]), [], [DatasetName.of('jeff/a'), DatasetName.of('jeff/a/b/c'), DatasetName.of('jeff/a/b')],
                Optional.empty(), 'rolled-back')

        then:
        steps.findAll { it instanceof DestroyDataset }*.dataset()*.value() == ['jeff/a/b/c', 'jeff/a/b', 'jeff/a']
    }

    def "an app whose dataset the transaction created is stopped and its files removed, but nothing is restarted"() {
        given:
        def fresh = new Txn.App('web', 'jeff/apps/web', null, null, '1.0.0', true, false)

        when:
        def steps = UndoPlan.plan(txn([fresh]), [], [DatasetName.of('jeff/apps/web')], Optional.empty(), 'rolled-back')

        then:
        steps == [new StopApp('web'), new DestroyDataset(DatasetName.of('jeff/apps/web')), new RestoreFiles('web', ID)]
    }

    def "a version that failed its health check is ghosted after the rollback; a record-only app is never stopped or started"() {
        given:
        def recorded = new Txn.App('ledger', 'jeff/apps/ledger', '/jeff/apps/ledger', '2.0', '2.1', false, true)

        when:
        def steps = UndoPlan.plan(txn([upgrade(), recorded]), [snap('jeff/apps/web'), snap('jeff/apps/ledger')], [],
                Optional.of('web'), 'rolled-back')

        then:
        steps.findAll { it instanceof StopApp || it instanceof StartApp }*.app() == ['web', 'web']
        steps.findAll { it instanceof RestoreFiles }*.app() == ['web']
        steps.find { it instanceof Ghost } == new Ghost(DatasetName.of('jeff/apps/web'), '1.0.1')
        steps.indexOf(steps.find { it instanceof Ghost }) > steps.indexOf(steps.find { it instanceof RollbackTo })
    }

    def "snapshots taken only for the transaction's sake (beforeDeploy false) are destroyed with their files, not marked"() {
        when:
        def steps = UndoPlan.plan(txn([upgrade()], false), [snap('jeff/apps/web')], [], Optional.empty(), 'rolled-back')

        then:
        !steps.any { it instanceof Mark }
        steps.takeRight(2) == [new DestroySnapshot(snap('jeff/apps/web')), new DropSaved(ID)]
    }

    def "an interrupted rollback is completed: to its target snapshots, with the files kept for them, the recorded release started"() {
        given:
        def rb = new Txn('zed-rollback-zed-web-1', Txn.ROLLBACK, 'web', 'jeff', 'now', 'ops@a', '', true, [],
                [new Txn.App('web', 'jeff/apps/web', null, null, null, false, false)], 'zed-web-1', true)
        def target = SnapshotName.of('jeff/apps/web@zed-web-1')

        when:
        def steps = UndoPlan.plan(rb, [target], [], Optional.empty(), 'ignored')

        then:
        steps == [new StopApp('web'), new RollbackTo(target, true), new RestoreProperties(target), new RestoreFiles('web', 'zed-web-1'),
                  new StartApp('web', 'jeff/apps/web', null, Optional.empty()), new Mark(target, 'rolled-back')]
    }

    def "the intent survives its JSON form on the lock"() {
        given:
        def t = txn([upgrade(), new Txn.App('x', 'jeff/x', null, null, '1', true, true)], false, ['jeff/p'])

        expect:
        Txn.parse(t.json()) == t
    }

    def "a redeploy of the running version that fails its checks is undone but not ghosted: the configuration failed, not the release"() {
        given:
        def same = new Txn.App('web', 'jeff/apps/web', '/jeff/apps/web', '1.0.1', '1.0.1', false, false)

        when:
        def steps = UndoPlan.plan(txn([same]), [snap('jeff/apps/web')], [], Optional.of('web'), 'rolled-back')

        then:
        !steps.any { it instanceof Ghost }
        steps.find { it instanceof StartApp } == new StartApp('web', 'jeff/apps/web', '/jeff/apps/web', Optional.of('1.0.1'))
    }
}
