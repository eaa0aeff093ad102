package com.zed.zfs

import com.zed.exec.CommandResult
import com.zed.support.LabSpecification
import com.zed.support.LiveLab
import spock.lang.Shared

/**
 * Reading what others made, on real OpenZFS (2.3: zfs get -j; 2.1: the anchored text parser):
 * names with spaces, values with tabs, newlines, non-ASCII and imitated record lines — exactly,
 * in one or two zfs processes.
 */
class ZfsReadingLiveSpec extends LabSpecification {
    static final String NOTE = 'a\ttab\nand a newline'
    static final String UNI = 'café ☕'
    static final String WHY = 'before\nthe deploy'
    static final List<PropertyName> PROPS = ['com.zed:version', 'com.x:note', 'com.x:uni', 'com.x:trap', 'compression']
            .collect { PropertyName.read(it) }

    @Shared DatasetName base
    @Shared DatasetName spaced
    @Shared DatasetName app
    @Shared String trap
    @Shared boolean json

    /**
     * zfs itself, not ZfsCli (Zed refuses to create names with spaces). The arguments travel NUL-separated
     * on stdin to xargs -0 in the VM: a newline cannot be passed through the remote shell.
     */
    void sh(List<String> argv) {
        def r = runner.run(['xargs', '-0', 'zfs'], argv.drop(1).collect { it + '\u0000' }.join('').getBytes('UTF-8'))
        assert r.ok(), "${argv}: ${r.stderr()}"
    }

    def setupSpec() {
        base = root.child('rd')
        spaced = DatasetName.read(base.value() + '/my data')
        app = base.child('app')
        // a value that imitates the next record zfs prints for app (compression follows com.x:trap)
        trap = "x\n${app.value()}\tcompression\tlocal\tgzip"
        sh(['zfs', 'create', '-o', 'com.zed:version=1.0.0', base.value()])
        sh(['zfs', 'create', spaced.value()])
        sh(['zfs', 'create', app.value()])
        sh(['zfs', 'set', "com.x:note=$NOTE".toString(), spaced.value()])
        sh(['zfs', 'set', "com.x:uni=$UNI".toString(), app.value()])
        sh(['zfs', 'set', "com.x:trap=$trap".toString(), app.value()])
        sh(['zfs', 'snapshot', '-o', "com.x:why=$WHY".toString(), spaced.value() + '@my snap'])
        sh(['zfs', 'snapshot', app.value() + '@s1'])
        json = !zfs.version().startsWith('zfs-2.1')
    }

    ZfsCli counting(List<CommandResult> seen) {
        new ZfsCli(runner, 'zfs', { CommandResult r -> seen << r })
    }

    void exact(PropertyTable t) {
        assert t.value(base.value(), 'com.zed:version').get() == '1.0.0'
        assert t.get(spaced.value(), PropertyName.zed('version')).get().source() == PropertySource.inherited(base.value())
        assert t.value(spaced.value(), 'com.x:note').get() == NOTE
        assert t.get(spaced.value(), PropertyName.read('com.x:note')).get().source() == PropertySource.LOCAL
        assert t.value(app.value(), 'com.x:uni').get() == UNI
        assert t.value(app.value(), 'com.x:trap').get() == trap
        assert t.value(app.value(), 'compression').get() == (json ? 'on' : 'off')   // 2.3 turned the default on
        assert t.get(app.value(), PropertyName.of('compression')).get().source() == PropertySource.DEFAULT
        assert !t.value(base.value(), 'com.x:note').present
    }

    def "several named datasets, only the asked properties, exactly — missing names simply absent"() {
        given:
        def seen = []
        def cli = counting(seen)
        def names = [app.value(), spaced.value(), base.child('nope').value(), base.value()]

        when: 'the first read (it learns whether -j works)'
        def t = cli.properties(names, PROPS)

        then:
        t.names() as Set == [base.value(), spaced.value(), app.value()] as Set
        t.of(app.value()).keySet().toList() == PROPS
        exact(t)

        and: '2.3: -j printed nothing because of the missing name, so once more without it; 2.1: -j refused, then the text read, whose trap cells are read singly'
        cli.readingMode().get() == (json ? 'json' : 'text')
        seen.size() == (json ? 2 : 2 + 2)
        seen.every { it.argv().indexOf('get') == it.argv().indexOf('zfs') + 1 }

        when: 'the next read, nothing missing'
        seen.clear()
        def again = cli.properties([app.value(), spaced.value(), base.value()], PROPS)

        then: 'one process on 2.3; on 2.1 one, plus the two cells the imitated record makes unsure'
        exact(again)
        seen.size() == (json ? 1 : 1 + 2)

        when: 'without the trap cell'
        seen.clear()
        cli.properties([spaced.value(), base.child('nope').value()], PROPS.findAll { it.value() != 'com.x:trap' })

        then:
        seen.size() == (json ? 2 : 1)
    }

    /** Space accounting moves between two reads while other specs write to the pool, so it is left out. */
    static final Set<String> MOVING = ['used', 'available', 'referenced', 'written', 'logicalused', 'logicalreferenced',
                                       'usedbysnapshots', 'usedbydataset', 'usedbychildren', 'usedbyrefreservation',
                                       'compressratio', 'refcompressratio'] as Set

    static Map settled(PropertyTable t) {
        t.asMap().collectEntries { ds, props -> [ds, props.findAll { k, v -> !(k.value() in MOVING) }] }
    }

    def "the text parser reads the same as -j on this host"() {
        expect:
        zfs.properties([app.value(), spaced.value(), base.value()], PROPS).asMap() ==
                new ZfsCli(runner).textOnly().properties([app.value(), spaced.value(), base.value()], PROPS).asMap()
        settled(zfs.properties(base, true)) == settled(new ZfsCli(runner).textOnly().properties(base, true))
        zfs.snapshots(base, true) == new ZfsCli(runner).textOnly().snapshots(base, true)
    }

    def "a recursive read of a tree with spaces and odd values is exact (#mode)"() {
        when:
        def t = cli.properties(base, true)

        then:
        t.names().toList() == [base.value(), app.value(), spaced.value()]
        exact(t)
        t.value(spaced.value(), 'mountpoint').get().endsWith('/my data')

        where:
        mode        | cli
        'default'   | new ZfsCli(LiveLab.runner())
        'text only' | new ZfsCli(LiveLab.runner()).textOnly()
    }

    def "snapshots of named datasets (depth 1, missing tolerated) and of the whole tree, with spaces (#mode)"() {
        when:
        def some = cli.snapshots([spaced, DatasetName.read(base.value() + '/nope'), base])
        def all = cli.snapshots(base, true)

        then: 'depth 1: app@s1 is a child of base, not base itself'
        some*.name()*.value() == [spaced.value() + '@my snap']
        some[0].userProperties() == [(PropertyName.read('com.x:why')): WHY]
        !some[0].name().isZedName()

        and:
        all*.name()*.value() as Set == [spaced.value() + '@my snap', app.value() + '@s1'] as Set
        all.find { it.name().value().endsWith('@s1') }.userProperties().isEmpty()

        where:
        mode        | cli
        'default'   | new ZfsCli(LiveLab.runner())
        'text only' | new ZfsCli(LiveLab.runner()).textOnly()
    }

    def "a foreign hold with a free-text tag is read and can be released"() {
        given:
        def s = SnapshotName.read(spaced.value() + '@my snap')
        sh(['zfs', 'hold', 'their tag', s.value()])

        expect:
        zfs.holds(s) == [new Hold(s, 'their tag')]

        when:
        zfs.release('their tag', [s], false)

        then:
        zfs.holds(s).isEmpty()
    }

    def "Zed still refuses to create a name with a space, before any command"() {
        given:
        def before = LiveLab.commands.size()

        when:
        zfs.create(DatasetName.read(base.value() + '/new one'), [:], false)

        then:
        thrown(InvalidNameException)
        LiveLab.commands.size() == before
        !zfs.exists(base.value() + '/new one')
    }
}
