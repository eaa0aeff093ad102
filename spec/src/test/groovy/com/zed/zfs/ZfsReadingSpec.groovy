package com.zed.zfs

import com.zed.support.Fixtures
import spock.lang.Specification

/**
 * Reading what others made, against outputs recorded from real OpenZFS (fixtures read-*, made by
 * scripts/lab.d/capture-fixtures): under jeff/rd, "my data" (com.x:note = NOTE), app (com.x:uni = UNI,
 * com.x:trap = TRAP, a value imitating app's next record line), snapshots "my data@my snap"
 * (com.x:why = WHY) and app@s1; jeff/rd/nope does not exist.
 */
class ZfsReadingSpec extends Specification {
    static final String NOTE = 'a\ttab\nand a newline'
    static final String UNI = 'café ☕'
    static final String TRAP = 'x\njeff/rd/app\tcompression\tlocal\tgzip'
    static final String WHY = 'before\nthe deploy'
    static final List<String> NAMES = ['jeff/rd/app', 'jeff/rd/my data', 'jeff/rd/nope', 'jeff/rd']
    static final List<PropertyName> PROPS = ['com.zed:version', 'com.x:note', 'com.x:uni', 'com.x:trap', 'compression']
            .collect { PropertyName.read(it) }

    // ---- names ------------------------------------------------------------------------------

    def "#kind '#display': read from zfs #readVerdict, created by Zed #ofVerdict"() {
        expect:
        ok { read(name) } == readable
        ok { of(name) } == creatable

        where:
        kind       | name                   | readable | creatable | read                          | of
        'dataset'  | 'jeff/my data'         | true     | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/ lead and trail ' | true    | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/apps'            | true     | true      | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/a;b'             | false    | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/a\tb'            | false    | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/a\nb'            | false    | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/%recv'           | false    | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/ä'               | false    | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/ /x'             | true     | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/.'               | false    | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | ' jeff'                | false    | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'my pool/x'            | true     | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'dataset'  | 'jeff/' + 'a b' * 84   | false    | false     | { DatasetName.read(it) }      | { DatasetName.of(it) }
        'snapshot' | 'jeff/x@my snap'       | true     | false     | { SnapshotName.read(it) }     | { SnapshotName.of(it) }
        'snapshot' | 'jeff/my x@s'          | true     | false     | { SnapshotName.read(it) }     | { SnapshotName.of(it) }
        'snapshot' | 'jeff/x@a b@c'         | false    | false     | { SnapshotName.read(it) }     | { SnapshotName.of(it) }
        'snapshot' | 'jeff/x@ '             | true     | false     | { SnapshotName.read(it) }     | { SnapshotName.of(it) }
        'bookmark' | 'jeff/x#my mark'       | true     | false     | { BookmarkName.read(it) }     | { BookmarkName.of(it) }
        'pool'     | 'my pool'              | true     | false     | { PoolName.read(it) }         | { PoolName.of(it) }
        'property' | ':odd'                 | true     | false     | { PropertyName.read(it) }     | { PropertyName.of(it) }
        'property' | '-x:y'                 | true     | false     | { PropertyName.read(it) }     | { PropertyName.of(it) }
        'property' | 'com.x:Upper'          | false    | false     | { PropertyName.read(it) }     | { PropertyName.of(it) }
        display = name.length() > 30 ? name.take(12) + "…(${name.length()})" : name.replace('\n', '\\n').replace('\t', '\\t')
        readVerdict = readable ? 'passes' : 'fails'
        ofVerdict = creatable ? 'passes' : 'fails'
    }

    private static boolean ok(Closure c) {
        try {
            c()
            true
        } catch (InvalidNameException ignored) {
            false
        }
    }

    def "what Zed adds to a foreign name follows Zed's rules: #what"() {
        when:
        def n = call(DatasetName.read('jeff/my data'))

        then:
        def e = thrown(InvalidNameException)
        e.message.contains("' ' (space)")

        where:
        what       | call
        'child'    | { DatasetName d -> d.child('x y') }
        'snapshot' | { DatasetName d -> d.snapshot('my snap') }
        'bookmark' | { DatasetName d -> d.bookmark('my mark') }
    }

    def "a foreign name takes Zed's parts: #result"() {
        expect:
        call(DatasetName.read('jeff/my data')).toString() == result

        where:
        result             | call
        'jeff/my data/app' | { DatasetName d -> d.child('app') }
        'jeff/my data@s'   | { DatasetName d -> d.snapshot('s') }
        'jeff'             | { DatasetName d -> d.parent().get() }
    }

    // ---- zfs get -j sources ---------------------------------------------------------------------------

    def "zfs get -j source #type becomes #expected"() {
        given: 'one property as OpenZFS 2.3.2 prints it (recorded on the lab)'
        def json = '{"output_version":{"command":"zfs get","vers_major":0,"vers_minor":1},"datasets":{"jeff/r":{"name":"jeff/r",' +
                '"type":"FILESYSTEM","pool":"jeff","createtxg":"534","properties":{"com.x:r":{"value":"1","source":' +
                "{\"type\":\"$type\",\"data\":\"$data\"}}}}}}"

        expect:
        ZfsGet.parseJson(json).get('jeff/r', PropertyName.read('com.x:r')).get().source() == expected

        where:
        type        | data       | expected
        'LOCAL'     | '-'        | PropertySource.LOCAL
        'RECEIVED'  | '-'        | PropertySource.RECEIVED
        'DEFAULT'   | '-'        | PropertySource.DEFAULT
        'NONE'      | '-'        | PropertySource.NONE
        'TEMPORARY' | '-'        | PropertySource.TEMPORARY
        'INHERITED' | 'jeff/a b' | PropertySource.inherited('jeff/a b')
    }

    def "JSON that is not whole zfs get -j output is refused: #what"() {
        when:
        ZfsGet.parseJson(json)

        then:
        thrown(ZfsParseException)

        where:
        what                 | json
        'cut mid-string'     | '{"output_version":{"command":"zfs get"},"datasets":{"jeff":{"name":"jeff","properties":{"com.x:u":{"value":"caf'
        'no output_version'  | '{"datasets":{}}'
        'trailing garbage'   | '{"output_version":{},"datasets":{}} x'
        'unknown source'     | '{"output_version":{},"datasets":{"jeff":{"name":"jeff","properties":{"a:b":{"value":"1","source":{"type":"ODD"}}}}}}'
    }

    def "an empty -j answer (no snapshots at all) is an empty table"() {
        expect:
        ZfsGet.parseJson('{"output_version":{"command":"zfs get","vers_major":0,"vers_minor":1},"datasets":{}}\n').size() == 0
    }

    // ---- the anchored text parser, cell by cell ------------------------------------------------

    def "anchored text records: #what"() {
        given:
        def keys = [['j', 'a:x'], ['j', 'a:y'], ['j/k', 'a:x'], ['j/k', 'a:y']].collect { new ZfsGet.Key(it[0], it[1]) }

        when:
        def p = ZfsGet.parseAnchored(out, keys)

        then:
        p.table().value(name, prop).orElse(null) == value
        p.unsure().collect { "${it.name()} ${it.prop()}".toString() } as Set == unsure as Set
        p.unused().isEmpty()

        where:
        what                                  | out                                                                           | name  | prop  | value           | unsure
        'plain'                               | 'j\ta:x\tlocal\t1\nj\ta:y\t-\t-\nj/k\ta:x\tlocal\t2\nj/k\ta:y\tlocal\t3\n'    | 'j/k' | 'a:y' | '3'             | []
        'a tab in a value'                    | 'j\ta:x\tlocal\t1\t2\nj\ta:y\t-\t-\nj/k\ta:x\tlocal\t2\nj/k\ta:y\tlocal\t3\n' | 'j'   | 'a:x' | '1\t2'          | []
        'a newline in a value'                | 'j\ta:x\tlocal\t1\n2\nj\ta:y\t-\t-\nj/k\ta:x\tlocal\t2\nj/k\ta:y\tlocal\t3\n' | 'j'   | 'a:x' | '1\n2'          | []
        'an empty value'                      | 'j\ta:x\tlocal\t\nj\ta:y\t-\t-\nj/k\ta:x\tlocal\t2\nj/k\ta:y\tlocal\t3\n'     | 'j'   | 'a:x' | ''              | []
        'a value imitating a record seen'     | 'j\ta:x\tlocal\t1\nj\ta:y\t-\t-\nj/k\ta:x\tlocal\t2\nj\ta:x\tlocal\t9\nj/k\ta:y\tlocal\t3\n' | 'j/k' | 'a:x' | '2\nj\ta:x\tlocal\t9' | ['j/k a:x', 'j a:x']
        'a value imitating the next record'   | 'j\ta:x\tlocal\t1\nj\ta:y\tlocal\t5\nj\ta:y\tlocal\t6\nj/k\ta:x\tlocal\t2\nj/k\ta:y\tlocal\t3\n' | 'j' | 'a:x' | '1'    | ['j a:x', 'j a:y']
        'a line with an unknown name'         | 'j\ta:x\tlocal\t1\nq\ta:y\tlocal\t5\nj\ta:y\t-\t-\nj/k\ta:x\tlocal\t2\nj/k\ta:y\tlocal\t3\n' | 'j' | 'a:x' | '1\nq\ta:y\tlocal\t5' | []
        'no trailing newline'                 | 'j\ta:x\tlocal\t1\nj\ta:y\t-\t-\nj/k\ta:x\tlocal\t2\nj/k\ta:y\tlocal\t3'      | 'j/k' | 'a:y' | '3'             | []
    }

    def "anchored text that does not start with an expected record is refused"() {
        when:
        ZfsGet.parseAnchored('x\ta:x\tlocal\t1\n', [new ZfsGet.Key('j', 'a:x')])

        then:
        thrown(ZfsParseException)
    }

    // ---- whole reads, replayed from real zfs -------------------------------------------------------

    /** What zfs printed for each command: by the fixtures of one version. */
    ReplayRunner replay(String version, Map<String, Object> extra = [:]) {
        new ReplayRunner(answer: { List<String> argv ->
            String joined = argv.join(' ')
            if (argv.contains('-j')) {
                if (extra.j != null) {
                    return extra.j
                }
                if (version == '2.1') {
                    return err(Fixtures.text('2.1', 'read-get-j.err'))
                }
                return argv.contains('jeff/rd/nope')
                        ? [out: Fixtures.text(version, 'read-get-j-missing.txt')] + err(Fixtures.text(version, 'read-get-j-missing.err'))
                        : [out: Fixtures.text(version, joined.contains('-t snapshot') ? 'read-snapshots-j.txt' : 'read-get-j.txt')]
            }
            if (argv.contains('source,value')) {
                return [out: Fixtures.text(version, "read-cell-app-${argv[-2].replace(':', '_')}.txt")]
            }
            if (argv.contains('name,property')) {
                return [out: Fixtures.text(version, 'read-snapshot-keys.txt')]
            }
            if (argv.contains('name,property,source,value')) {
                return joined.contains('-t snapshot') ? [out: Fixtures.text(version, 'read-snapshots.txt')]
                        : [out: Fixtures.text(version, 'read-get.txt')] + err(Fixtures.text(version, 'read-get.err'))
            }
            null
        })
    }

    /** An .err fixture: stderr, then exit=N. */
    static Map err(String text) {
        def lines = text.readLines()
        [err: lines.dropRight(1).collect { it + '\n' }.join(''), exit: lines.last().substring(5) as int]
    }

    /** OpenZFS 2.3 turned compression on by default; 2.1's default is off. */
    static final Map<String, String> DEFAULT_COMPRESSION = ['2.1': 'off', '2.3': 'on']

    void exact(PropertyTable t, String version) {
        assert t.names() as Set == ['jeff/rd', 'jeff/rd/app', 'jeff/rd/my data'] as Set
        assert t.of('jeff/rd/app').keySet().toList() == PROPS
        assert t.value('jeff/rd/my data', 'com.x:note').get() == NOTE
        assert t.get('jeff/rd/my data', PropertyName.read('com.x:note')).get().source() == PropertySource.LOCAL
        assert t.value('jeff/rd/app', 'com.x:uni').get() == UNI
        assert t.get('jeff/rd/app', PropertyName.read('com.x:uni')).get().source() == PropertySource.LOCAL
        assert t.value('jeff/rd/app', 'com.x:trap').get() == TRAP
        assert t.value('jeff/rd/app', 'compression').get() == DEFAULT_COMPRESSION[version]
        assert t.get('jeff/rd/app', PropertyName.of('compression')).get().source() == PropertySource.DEFAULT
        assert t.value('jeff/rd/my data', 'com.zed:version').get() == '1.0.0'
        assert t.get('jeff/rd/my data', PropertyName.zed('version')).get().source() == PropertySource.inherited('jeff/rd')
        assert !t.value('jeff/rd', 'com.x:note').present
    }

    def "named datasets from OpenZFS #version are read exactly, the missing one absent, in #processes processes"() {
        given:
        def runner = replay(version)
        def zfs = new ZfsCli(runner)

        when:
        def t = zfs.properties(NAMES, PROPS)

        then:
        exact(t, version)
        runner.commands.size() == processes
        zfs.readingMode().get() == mode

        where:
        version | processes | mode
        '2.3'   | 2         | 'json'   // -j prints nothing when a name is missing: once more without it
        '2.1'   | 1 + 1 + 2 | 'text'   // -j refused; the text read; the imitated record's two cells singly
    }

    def "the text parser reads OpenZFS #version's recorded output exactly too"() {
        given:
        def runner = replay(version)

        expect:
        exact(new ZfsCli(runner).textOnly().properties(NAMES, PROPS), version)
        runner.commands.size() == 1 + 2

        where:
        version << Fixtures.VERSIONS
    }

    def "once learnt, the mode costs nothing: OpenZFS #version, the same read again in #processes processes"() {
        given:
        def runner = replay(version)
        def zfs = new ZfsCli(runner)
        zfs.properties(NAMES, PROPS)
        runner.commands.clear()

        when:
        def t = zfs.properties(NAMES, PROPS)

        then:
        exact(t, version)
        runner.commands.size() == processes
        runner.commands.count { it.contains('-j') } == probes

        where:
        version | processes | probes
        '2.3'   | 2         | 2       // -j, and -j again without the missing name
        '2.1'   | 1 + 2     | 0       // the text read and the two unsure cells; no probe
    }

    def "snapshots of named datasets from OpenZFS #version (#mode): names with spaces, own multi-line properties"() {
        given:
        def zfs = new ZfsCli(replay(version))
        if (mode == 'text') {
            zfs.textOnly()
        } else {
            zfs.properties(['jeff/rd/app', 'jeff/rd/my data', 'jeff/rd'], PROPS)  // learns json
        }

        when:
        def snaps = zfs.snapshots([DatasetName.read('jeff/rd/app'), DatasetName.read('jeff/rd/my data'), DatasetName.of('jeff/rd')])
        def byName = snaps.collectEntries { [(it.name().value()): it] }

        then:
        byName.keySet() == ['jeff/rd/app@s1', 'jeff/rd/my data@my snap'] as Set
        byName['jeff/rd/my data@my snap'].userProperties() == [(PropertyName.read('com.x:why')): WHY]
        byName['jeff/rd/app@s1'].userProperties().isEmpty()   // com.x:trap is inherited, not its own
        snaps*.createTxg() == snaps*.createTxg().sort(false)

        where:
        version | mode
        '2.3'   | 'json'
        '2.3'   | 'text'
        '2.1'   | 'text'
    }

    def "JSON that zfs cut short (a C locale stops at the first non-ASCII character, exit 0) falls back to text for good"() {
        given:
        def runner = replay('2.3', [j: [out: Fixtures.text('2.3', 'read-get-j-c-locale.txt')]])
        def zfs = new ZfsCli(runner)

        when:
        def t = zfs.properties(NAMES, PROPS)

        then:
        exact(t, '2.3')
        zfs.readingMode().get() == 'text'
        runner.commands.count { it.contains('-j') } == 1
    }

    def "only 'dataset does not exist' is tolerated; any other error still fails (#version)"() {
        given:
        def other = Fixtures.error(version, 'bad-value')
        def runner = new ReplayRunner(answer: { List<String> argv ->
            [exit: 1, out: '', err: "cannot open 'jeff/rd/nope': dataset does not exist\n" + other.stderr]
        })

        when:
        new ZfsCli(runner).textOnly().properties(['jeff/rd/nope', 'jeff/rd'], [PropertyName.of('compression')])

        then:
        def e = thrown(ZfsException)
        e.reason() == ZfsException.Reason.NOT_FOUND || e.reason() == ZfsException.Reason.INVALID
        e.stderr().contains(other.stderr as String)

        where:
        version << Fixtures.VERSIONS
    }

    def "all names missing: an empty table, no error"() {
        given:
        def runner = new ReplayRunner(answer: { List<String> argv ->
            [exit: 1, out: '', err: "cannot open 'jeff/a': dataset does not exist\ncannot open 'jeff/b': dataset does not exist\n"]
        })

        expect:
        new ZfsCli(runner).properties(['jeff/a', 'jeff/b'], [PropertyName.of('compression')]).size() == 0
        new ZfsCli(runner).snapshots([DatasetName.of('jeff/a')]).isEmpty()
    }

    def "the single-object reads still throw when it is missing"() {
        given:
        def runner = new ReplayRunner(answer: { List<String> argv ->
            [exit: 1, out: '', err: "cannot open 'jeff/a': dataset does not exist\n"]
        })

        when:
        new ZfsCli(runner).properties('jeff/a', [PropertyName.of('compression')])

        then:
        thrown(ZfsException.DatasetNotFoundException)
    }
}
