package com.zed.support

import com.zed.exec.Execution
import com.zed.zfs.BookmarkName
import com.zed.zfs.DatasetName
import com.zed.zfs.DestroyMode
import com.zed.zfs.DiffEntry
import com.zed.zfs.Hold
import com.zed.zfs.Property
import com.zed.zfs.PropertyName
import com.zed.zfs.PropertySource
import com.zed.zfs.PropertyTable
import com.zed.zfs.PropertyValues
import com.zed.zfs.ReceiveRequest
import com.zed.zfs.SendRequest
import com.zed.zfs.SnapshotInfo
import com.zed.zfs.SnapshotName
import com.zed.zfs.Zfs
import com.zed.zfs.ZfsException

/**
 * A {@link Zfs} in memory, for fast converge specs. It models what converge logic relies on, as real
 * OpenZFS behaves (InMemoryZfsSpec; InMemoryZfsLiveSpec runs the same scenarios on the lab and compares):
 * datasets under pools, property sources (local, received, inherited for inheritable natives and user
 * properties, default), snapshots with their own user properties, createtxg order and holds, rollback
 * (restores the dataset's data marker, never its properties), destroy's refusals, create -p, clone,
 * promote, rename, bookmarks. Failures carry zfs's own messages, classified by {@link ZfsException#classify},
 * so callers see the same exception types. Send, receive and diff are not modelled.
 *
 * <pre>
 * def zfs = new InMemoryZfs('jeff')
 * zfs.failOn { List&lt;String&gt; argv -> argv[1] == 'snapshot' }   // the next zfs snapshot fails
 * zfs.calls                                                   // every call, as zfs's argv would be
 * </pre>
 */
class InMemoryZfs implements Zfs {
    /** Natives modelled, with the default `zfs get -p` prints; mountpoint and the read-only ones are computed. */
    static final Map<String, String> NATIVE_DEFAULTS = [
            compression: 'on', recordsize: '131072', atime: 'on', readonly: 'off', quota: '0', refquota: '0',
            reservation: '0', canmount: 'on', exec: 'on', setuid: 'on', sync: 'standard', snapdir: 'hidden',
            xattr: 'sa', copies: '1', checksum: 'on', logbias: 'latency', primarycache: 'all', secondarycache: 'all',
    ].asImmutable()
    static final List<String> READ_ONLY = ['type', 'creation', 'used', 'guid', 'createtxg', 'origin', 'mountpoint', 'userrefs']

    private static class Obj {
        String name
        String type                       // filesystem, volume, snapshot, bookmark
        Map<String, String> local = [:]
        Map<String, String> received = [:]
        Set<String> hidden = [] as Set    // inherited explicitly over a received value (zfs inherit without -S)
        long createTxg
        String guid
        long creation
        Set<String> holds = [] as Set
        String origin                     // clones: the origin snapshot
        String data = ''                  // the data marker: what rollback restores
    }

    private final TreeMap<String, Obj> objects = new TreeMap<>()
    private long txg = 1
    private long guids = 1000
    /** Every call, as the zfs argument array it stands for. */
    final List<List<String>> calls = []
    private final List<Closure> failures = []

    InMemoryZfs(String... pools) {
        pools.each { p -> put(new Obj(name: p, type: 'filesystem')) }
    }

    /** The next call for which {@code rule(argv)} is true fails (once) with zfs's exit 1 and a generic message. */
    InMemoryZfs failOn(Closure<Boolean> rule) {
        failures << rule
        this
    }

    /** The data marker of a filesystem (what its files are, as far as a spec cares). */
    String data(DatasetName ds) { need(ds.value()).data }

    void write(DatasetName ds, String data) { need(ds.value()).data = data }

    // ---- plumbing ------------------------------------------------------------------------------------

    private Obj put(Obj o) {
        o.createTxg = o.createTxg ?: txg++
        o.guid = o.guid ?: Long.toString(guids++)
        o.creation = o.creation ?: System.currentTimeMillis().intdiv(1000)
        objects[o.name] = o
        o
    }

    private void call(List<String> argv) {
        calls << (['zfs'] + argv)
        def full = ['zfs'] + argv
        def hit = failures.find { it.call(full) }
        if (hit != null) {
            failures.remove(hit)
            throw new ZfsException(ZfsException.Reason.OTHER, full, 1, "injected failure\n")
        }
    }

    private static ZfsException fail(List<String> argv, String stderr) {
        ZfsException.classify(['zfs'] + argv, 1, stderr + '\n')
    }

    private Obj need(String name, List<String> argv = ['get', name]) {
        def o = objects[name]
        if (o == null) {
            throw fail(argv, "cannot open '$name': dataset does not exist")
        }
        o
    }

    private static String parentOf(String name) {
        int i = name.lastIndexOf('/')
        i < 0 ? null : name.substring(0, i)
    }

    private List<Obj> datasetsUnder(String root) {
        objects.values().findAll { it.type in ['filesystem', 'volume'] && (it.name == root || it.name.startsWith(root + '/')) }
    }

    private List<Obj> snapshotsOf(String ds) {
        objects.values().findAll { it.type == 'snapshot' && it.name.startsWith(ds + '@') }.sort { it.createTxg }
    }

    private List<Obj> clonesOf(String snap) {
        objects.values().findAll { it.origin == snap }
    }

    private static boolean inheritable(String prop) {
        PropertyValues.inheritable(PropertyName.read(prop))
    }

    // ---- properties ------------------------------------------------------------------------------------

    /** A property as `zfs get -p` prints it, with its source; user properties not set anywhere: "-" / NONE. */
    private Property prop(Obj o, String p) {
        def pn = PropertyName.read(p)
        boolean user = pn.isUser()
        switch (p) {
            case 'type': return new Property(pn, o.type, PropertySource.NONE)
            case 'creation': return new Property(pn, o.creation.toString(), PropertySource.NONE)
            case 'createtxg': return new Property(pn, o.createTxg.toString(), PropertySource.NONE)
            case 'guid': return new Property(pn, o.guid, PropertySource.NONE)
            case 'used': return new Property(pn, '0', PropertySource.NONE)
            case 'userrefs': return new Property(pn, o.type == 'snapshot' ? o.holds.size().toString() : '-', PropertySource.NONE)
            case 'origin': return new Property(pn, o.origin ?: '-', PropertySource.NONE)
        }
        if (o.type == 'snapshot') {
            if (o.local.containsKey(p)) {
                return new Property(pn, o.local[p], PropertySource.LOCAL)
            }
            if (user || NATIVE_DEFAULTS.containsKey(p)) {
                // a snapshot shows its dataset's values as inherited from the dataset
                def ds = objects[o.name.substring(0, o.name.indexOf('@'))]
                def v = prop(ds, p)
                if (!v.hasValue() && v.source() == PropertySource.NONE) {
                    return v
                }
                return new Property(pn, v.value(), v.source().kind() == PropertySource.Kind.INHERITED ? v.source()
                        : v.source() == PropertySource.DEFAULT ? PropertySource.DEFAULT : PropertySource.inherited(ds.name))
            }
            return new Property(pn, '-', PropertySource.NONE)
        }
        if (p == 'mountpoint') {
            if (o.type == 'volume') {
                return new Property(pn, '-', PropertySource.NONE)
            }
            if (o.local.containsKey(p)) {
                return new Property(pn, o.local[p], PropertySource.LOCAL)
            }
            for (String a = parentOf(o.name), rel = o.name.substring(o.name.lastIndexOf('/') + 1); a != null;
                 rel = a.substring(a.lastIndexOf('/') + 1) + '/' + rel, a = parentOf(a)) {
                if (objects[a].local.containsKey(p)) {
                    String base = objects[a].local[p]
                    return new Property(pn, (base == '/' ? '' : base) + '/' + rel, PropertySource.inherited(a))
                }
            }
            return new Property(pn, '/' + o.name, o.name.contains('/') ? PropertySource.inherited(o.name.substring(0, o.name.indexOf('/'))) : PropertySource.DEFAULT)
        }
        if (o.local.containsKey(p)) {
            return new Property(pn, o.local[p], PropertySource.LOCAL)
        }
        if (o.received.containsKey(p) && !o.hidden.contains(p)) {
            return new Property(pn, o.received[p], PropertySource.RECEIVED)
        }
        if (user || inheritable(p)) {
            for (String a = parentOf(o.name); a != null; a = parentOf(a)) {
                def ao = objects[a]
                if (ao.local.containsKey(p)) {
                    return new Property(pn, ao.local[p], PropertySource.inherited(a))
                }
                if (ao.received.containsKey(p) && !ao.hidden.contains(p)) {
                    return new Property(pn, ao.received[p], PropertySource.inherited(a))
                }
            }
        }
        if (NATIVE_DEFAULTS.containsKey(p)) {
            return new Property(pn, NATIVE_DEFAULTS[p], PropertySource.DEFAULT)
        }
        new Property(pn, '-', PropertySource.NONE)
    }

    /** What `zfs get all` lists for an object: the natives modelled and every user property it sees. */
    private List<String> allProps(Obj o) {
        def users = [] as TreeSet<String>
        users.addAll(o.local.keySet().findAll { it.contains(':') })
        users.addAll(o.received.keySet().findAll { it.contains(':') })
        String ds = o.type == 'snapshot' ? o.name.substring(0, o.name.indexOf('@')) : o.name
        for (String a = ds; a != null; a = parentOf(a)) {
            users.addAll(objects[a].local.keySet().findAll { it.contains(':') })
            users.addAll(objects[a].received.keySet().findAll { it.contains(':') })
        }
        def natives = o.type == 'snapshot' ? ['type', 'creation', 'used', 'guid', 'createtxg', 'userrefs']
                : ['type', 'creation', 'used', 'guid', 'createtxg', 'mountpoint', 'origin'] + NATIVE_DEFAULTS.keySet()
        natives + users.toList()
    }

    private void checkKnown(List<String> argv, String p) {
        if (!p.contains(':') && !(p in READ_ONLY) && !NATIVE_DEFAULTS.containsKey(p)) {
            throw fail(argv, "bad property list: invalid property '$p'")
        }
    }

    private Map<PropertyName, Property> row(Obj o, List<String> props) {
        props.collectEntries { p -> def v = prop(o, p); [(v.name()): v] } as Map<PropertyName, Property>
    }

    @Override
    String version() { 'zfs-inmemory' }

    @Override
    boolean exists(String name) {
        call(['list', '-H', '-o', 'name', '-t', 'all', name])
        objects.containsKey(name)
    }

    @Override
    PropertyTable properties(DatasetName root, boolean recursive) {
        def argv = ['get', '-p', '-t', 'filesystem,volume'] + (recursive ? ['-r'] : []) + ['all', root.value()]
        call(argv)
        need(root.value(), argv)
        def objs = recursive ? datasetsUnder(root.value()) : [objects[root.value()]]
        PropertyTable.of(objs.collectEntries { [(it.name): row(it, allProps(it))] } as Map)
    }

    @Override
    PropertyTable properties(String name, List<PropertyName> props) {
        def argv = ['get', '-p', props*.value().join(','), name]
        call(argv)
        props.each { checkKnown(argv, it.value()) }
        def o = need(name, argv)
        PropertyTable.of([(name): row(o, props*.value())])
    }

    @Override
    PropertyTable properties(List<String> names, List<PropertyName> props) {
        if (props.isEmpty()) {
            throw new IllegalArgumentException('no properties asked for')
        }
        def argv = ['get', '-p', props*.value().join(',')] + names
        call(argv)
        props.each { checkKnown(argv, it.value()) }
        PropertyTable.of(names.unique(false).sort(false).findAll { objects.containsKey(it) }
                .collectEntries { [(it): row(objects[it], props*.value())] } as Map)
    }

    private SnapshotInfo info(Obj s) {
        def own = s.local.findAll { k, v -> k.contains(':') } + s.received.findAll { k, v -> k.contains(':') && !s.local.containsKey(k) }
        new SnapshotInfo(SnapshotName.read(s.name), s.guid, s.createTxg, java.time.Instant.ofEpochSecond(s.creation), 0L,
                s.holds.size(), own.collectEntries { k, v -> [(PropertyName.read(k)): v] } as Map<PropertyName, String>)
    }

    @Override
    List<SnapshotInfo> snapshots(DatasetName root, boolean recursive) {
        def argv = ['get', '-p', '-t', 'snapshot'] + (recursive ? ['-r'] : ['-d', '1']) + ['all', root.value()]
        call(argv)
        need(root.value(), argv)
        def ds = recursive ? datasetsUnder(root.value())*.name : [root.value()]
        ds.collectMany { snapshotsOf(it) }.collect { info(it) }.sort { a, b -> a.createTxg() <=> b.createTxg() ?: a.name() <=> b.name() }
    }

    @Override
    List<SnapshotInfo> snapshots(List<DatasetName> datasets) {
        call(['get', '-p', '-t', 'snapshot', '-d', '1', 'all'] + datasets*.value())
        datasets*.value().unique(false).findAll { objects.containsKey(it) }.collectMany { snapshotsOf(it) }
                .collect { info(it) }.sort { a, b -> a.createTxg() <=> b.createTxg() ?: a.name() <=> b.name() }
    }

    // ---- changing --------------------------------------------------------------------------------------

    private Map<String, String> checked(List<String> argv, String target, Map<PropertyName, String> props) {
        props.collectEntries { k, v ->
            String problem = PropertyValues.problem(k, v)
            if (problem != null) {
                throw fail(argv, "cannot set property for '$target': $problem".toString())
            }
            [(k.value()): k.isUser() ? v : PropertyValues.canonical(k, v)]
        } as Map<String, String>
    }

    private static List<String> opts(Map<PropertyName, String> props) {
        props.sort().collectMany { k, v -> ['-o', "$k=$v".toString()] }
    }

    @Override
    void create(DatasetName name, Map<PropertyName, String> props, boolean parents) {
        DatasetName.of(name.value())
        def argv = ['create'] + (parents ? ['-p'] : []) + opts(props) + [name.value()]
        call(argv)
        if (objects.containsKey(name.value())) {
            throw fail(argv, "cannot create '$name': dataset already exists")
        }
        def vals = checked(argv, name.value(), props)
        String p = parentOf(name.value())
        if (p != null && !objects.containsKey(p)) {
            if (!parents) {
                throw fail(argv, "cannot create '$name': parent does not exist")
            }
            create(DatasetName.read(p), [:], true)
            calls.removeLast()
        }
        put(new Obj(name: name.value(), type: 'filesystem', local: vals))
    }

    @Override
    void set(String name, Map<PropertyName, String> props) {
        if (props.isEmpty()) {
            return
        }
        def argv = ['set'] + props.sort().collect { k, v -> "$k=$v".toString() } + [name]
        call(argv)
        def o = need(name, argv)
        props.keySet().each { k ->
            if (k.value() in READ_ONLY && k.value() != 'mountpoint') {
                throw fail(argv, "cannot set property for '$name': '$k' is readonly")
            }
            if (o.type == 'snapshot' && !k.isUser()) {
                throw fail(argv, "cannot set property for '$name': this property can not be modified for snapshots")
            }
        }
        o.local.putAll(checked(argv, name, props))
        props.keySet().each { o.hidden.remove(it.value()) }
    }

    @Override
    void inherit(String name, PropertyName prop, boolean recursive, boolean received) {
        def argv = ['inherit'] + (recursive ? ['-r'] : []) + (received ? ['-S'] : []) + [prop.value(), name]
        call(argv)
        def o = need(name, argv)
        if (!inheritable(prop.value())) {
            throw fail(argv, "'$prop' property cannot be inherited\nuse 'zfs set $prop=none' to clear\n" +
                    "use 'zfs inherit -S $prop' to revert to received value")
        }
        def targets = recursive && o.type != 'snapshot' ? datasetsUnder(name) : [o]
        targets.each { t ->
            t.local.remove(prop.value())
            if (received) {
                t.hidden.remove(prop.value())
            } else if (t.received.containsKey(prop.value())) {
                t.hidden.add(prop.value())
            }
        }
    }

    /** A value as if it had arrived with zfs receive (source received), for specs of received properties. */
    void receiveProperty(String name, PropertyName prop, String value) {
        need(name).received[prop.value()] = value
    }

    @Override
    void snapshot(List<SnapshotName> snapshots, boolean recursive, Map<PropertyName, String> props) {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException('no snapshots to take')
        }
        if (snapshots.collect { it.dataset().pool() }.unique().size() > 1) {
            throw new IllegalArgumentException("an atomic snapshot cannot span pools: $snapshots")
        }
        snapshots.each { SnapshotName.of(it.value()) }
        def argv = ['snapshot'] + (recursive ? ['-r'] : []) + opts(props) + snapshots*.value()
        call(argv)
        def vals = checked(argv, snapshots[0].value(), props)
        def all = snapshots.collectMany { s ->
            need(s.dataset().value(), argv)
            recursive ? datasetsUnder(s.dataset().value()).collect { it.name + '@' + s.shortName() } : [s.value()]
        }
        def taken = all.find { objects.containsKey(it) }
        if (taken != null) {
            throw fail(argv, "cannot create snapshot '$taken': dataset already exists")
        }
        long t = txg++   // one transaction group for all of them
        all.each { n -> put(new Obj(name: n, type: 'snapshot', local: new LinkedHashMap(vals), createTxg: t, data: objects[n.substring(0, n.indexOf('@'))].data)) }
    }

    @Override
    void rollback(SnapshotName snap, boolean destroyNewer) {
        def argv = ['rollback'] + (destroyNewer ? ['-r'] : []) + [snap.value()]
        call(argv)
        def s = need(snap.value(), argv)
        def ds = snap.dataset().value()
        def newer = snapshotsOf(ds).findAll { it.createTxg > s.createTxg } +
                objects.values().findAll { it.type == 'bookmark' && it.name.startsWith(ds + '#') && it.createTxg > s.createTxg }
        if (newer && !destroyNewer) {
            throw fail(argv, "cannot rollback to '$snap': more recent snapshots or bookmarks exist\n" +
                    "use '-r' to force deletion of the following snapshots and bookmarks:\n" + newer*.name.join('\n'))
        }
        newer.each { n ->
            if (n.holds) {
                throw fail(argv, "cannot destroy snapshot ${n.name}: dataset is busy")
            }
            if (clonesOf(n.name)) {
                throw fail(argv, "cannot destroy '${n.name}': snapshot has dependent clones")
            }
        }
        newer.each { objects.remove(it.name) }
        objects[ds].data = s.data   // the data goes back; properties stay as they are (zfs rollback keeps them)
    }

    @Override
    void clone(SnapshotName origin, DatasetName target, Map<PropertyName, String> props, boolean parents) {
        DatasetName.of(target.value())
        def argv = ['clone'] + (parents ? ['-p'] : []) + opts(props) + [origin.value(), target.value()]
        call(argv)
        def s = need(origin.value(), argv)
        if (objects.containsKey(target.value())) {
            throw fail(argv, "cannot create '$target': dataset already exists")
        }
        def vals = checked(argv, target.value(), props)
        String p = parentOf(target.value())
        if (p != null && !objects.containsKey(p)) {
            if (!parents) {
                throw fail(argv, "cannot create '$target': parent does not exist")
            }
            create(DatasetName.read(p), [:], true)
            calls.removeLast()
        }
        put(new Obj(name: target.value(), type: 'filesystem', local: vals, origin: origin.value(), data: s.data))
    }

    @Override
    void promote(DatasetName clone) {
        def argv = ['promote', clone.value()]
        call(argv)
        def c = need(clone.value(), argv)
        if (c.origin == null) {
            throw fail(argv, "cannot promote '$clone': not a cloned filesystem")
        }
        def originSnap = objects[c.origin]
        String from = c.origin.substring(0, c.origin.indexOf('@'))
        // the origin's snapshots up to the branch point move to the clone; the old dataset becomes its clone
        def moving = snapshotsOf(from).findAll { it.createTxg <= originSnap.createTxg }
        moving.each { m ->
            objects.remove(m.name)
            String renamed = clone.value() + m.name.substring(m.name.indexOf('@'))
            clonesOf(m.name).each { it.origin = renamed }
            m.name = renamed
            objects[renamed] = m
        }
        objects[from].origin = c.origin.replace(from + '@', clone.value() + '@')
        c.origin = null
    }

    @Override
    void rename(String from, String to, boolean parents) {
        if (from.contains('@')) {
            def f = SnapshotName.read(from)
            def t = SnapshotName.of(to)
            if (f.dataset() != t.dataset()) {
                throw new IllegalArgumentException("a snapshot can only be renamed within its dataset: $from → $to")
            }
        } else {
            def f = DatasetName.read(from)
            def t = DatasetName.of(to)
            if (f.isPoolRoot() || t.isPoolRoot()) {
                throw new IllegalArgumentException("a pool's root dataset cannot be renamed with zfs rename: $from")
            }
        }
        def argv = ['rename'] + (parents ? ['-p'] : []) + [from, to]
        call(argv)
        need(from, argv)
        if (objects.containsKey(to)) {
            throw fail(argv, "cannot rename to '$to': dataset already exists")
        }
        if (!to.contains('@')) {
            String p = parentOf(to)
            if (p != null && !objects.containsKey(p)) {
                if (!parents) {
                    throw fail(argv, "cannot rename to '$to': parent does not exist")
                }
                create(DatasetName.read(p), [:], true)
                calls.removeLast()
            }
        }
        def moving = objects.values().findAll { it.name == from || it.name.startsWith(from + '/') || it.name.startsWith(from + '@') || it.name.startsWith(from + '#') }
        moving.each { m ->
            objects.remove(m.name)
            String renamed = to + m.name.substring(from.length())
            objects.values().findAll { it.origin == m.name }.each { it.origin = renamed }
            m.name = renamed
            objects[renamed] = m
        }
    }

    @Override
    void hold(String tag, List<SnapshotName> snapshots, boolean recursive) {
        Hold.checkTag(tag)
        def argv = ['hold'] + (recursive ? ['-r'] : []) + [tag] + snapshots*.value()
        call(argv)
        def targets = expand(argv, snapshots, recursive)
        def dup = targets.find { tag in it.holds }
        if (dup != null) {
            throw fail(argv, "cannot hold snapshot '${dup.name}': tag already exists on this dataset")
        }
        targets.each { it.holds << tag }
    }

    @Override
    void release(String tag, List<SnapshotName> snapshots, boolean recursive) {
        def argv = ['release'] + (recursive ? ['-r'] : []) + [tag] + snapshots*.value()
        call(argv)
        def targets = expand(argv, snapshots, recursive)
        def missing = targets.find { !(tag in it.holds) }
        if (missing != null) {
            throw fail(argv, "cannot release hold from snapshot '${missing.name}': no such tag on this dataset")
        }
        targets.each { it.holds.remove(tag) }
    }

    private List<Obj> expand(List<String> argv, List<SnapshotName> snapshots, boolean recursive) {
        snapshots.collectMany { s ->
            need(s.value(), argv)
            recursive ? datasetsUnder(s.dataset().value()).collect { objects[it.name + '@' + s.shortName()] }.findAll { it != null } : [objects[s.value()]]
        }
    }

    @Override
    List<Hold> holds(SnapshotName snap) {
        call(['holds', '-H', snap.value()])
        need(snap.value()).holds.sort().collect { new Hold(snap, it) }
    }

    @Override
    void bookmark(SnapshotName snap, BookmarkName mark) {
        if (snap.dataset() != mark.dataset()) {
            throw new IllegalArgumentException("a bookmark belongs to the snapshot's dataset: $snap → $mark")
        }
        BookmarkName.of(mark.value())
        def argv = ['bookmark', snap.value(), mark.value()]
        call(argv)
        def s = need(snap.value(), argv)
        if (objects.containsKey(mark.value())) {
            throw fail(argv, "cannot create bookmark '$mark': bookmark exists")
        }
        put(new Obj(name: mark.value(), type: 'bookmark', createTxg: s.createTxg, guid: s.guid))
    }

    @Override
    List<BookmarkName> bookmarks(DatasetName dataset) {
        call(['list', '-H', '-o', 'name', '-t', 'bookmark', '-d', '1', dataset.value()])
        need(dataset.value())
        objects.values().findAll { it.type == 'bookmark' && it.name.startsWith(dataset.value() + '#') }
                .sort { it.createTxg }.collect { BookmarkName.read(it.name) }
    }

    @Override
    void destroy(DatasetName name, DestroyMode mode) {
        if (name.isPoolRoot()) {
            throw new IllegalArgumentException("refusing to destroy the root dataset of pool '$name'")
        }
        Objects.requireNonNull(mode, 'destroy mode')
        def argv = ['destroy'] + [(DestroyMode.SINGLE): [], (DestroyMode.RECURSIVE): ['-r'], (DestroyMode.RECURSIVE_AND_CLONES): ['-R']][mode] + [name.value()]
        call(argv)
        def o = need(name.value(), argv)
        def doomed = objects.values().findAll { it.name == o.name || it.name.startsWith(o.name + '/') || it.name.startsWith(o.name + '@') || it.name.startsWith(o.name + '#') }
        if (mode == DestroyMode.SINGLE && doomed.any { it.name != o.name && it.type != 'bookmark' }) {
            throw fail(argv, "cannot destroy '$name': filesystem has children\nuse '-r' to destroy the following datasets:\n" +
                    doomed.findAll { it.name != o.name }*.name.join('\n'))
        }
        if (mode == DestroyMode.RECURSIVE_AND_CLONES) {
            def more = doomed
            while (true) {
                def clones = objects.values().findAll { c -> c.origin != null && more.any { it.name == c.origin } && !more.contains(c) }
                        .collectMany { c -> objects.values().findAll { it.name == c.name || it.name.startsWith(c.name + '/') || it.name.startsWith(c.name + '@') || it.name.startsWith(c.name + '#') } }
                if (!clones) {
                    break
                }
                more = (more + clones).unique()
            }
            doomed = more
        }
        def outside = doomed.find { s -> s.type == 'snapshot' && clonesOf(s.name).any { !doomed.contains(it) } }
        if (outside != null) {
            throw fail(argv, "cannot destroy '$name': filesystem has dependent clones\nuse '-R' to destroy the following datasets:\n" +
                    clonesOf(outside.name)*.name.join('\n'))
        }
        def held = doomed.find { it.type == 'snapshot' && it.holds }
        if (held != null) {
            throw fail(argv, "cannot destroy snapshot ${held.name}: dataset is busy")
        }
        doomed.each { objects.remove(it.name) }
    }

    @Override
    void destroy(SnapshotName snap, DestroyMode mode) {
        Objects.requireNonNull(mode, 'destroy mode')
        def argv = ['destroy'] + [(DestroyMode.SINGLE): [], (DestroyMode.RECURSIVE): ['-r'], (DestroyMode.RECURSIVE_AND_CLONES): ['-R']][mode] + [snap.value()]
        call(argv)
        need(snap.dataset().value(), argv)
        def targets = mode == DestroyMode.SINGLE ? [objects[snap.value()]].findAll { it != null }
                : datasetsUnder(snap.dataset().value()).collect { objects[it.name + '@' + snap.shortName()] }.findAll { it != null }
        if (!targets) {
            throw fail(argv, "could not find any snapshots to destroy; check snapshot names.")
        }
        def clones = mode == DestroyMode.RECURSIVE_AND_CLONES ? [] : targets.find { clonesOf(it.name) }
        if (clones) {
            throw fail(argv, "cannot destroy '${clones.name}': snapshot has dependent clones\nuse '-R' to destroy the following datasets:\n" +
                    clonesOf(clones.name)*.name.join('\n'))
        }
        def held = targets.find { it.holds }
        if (held != null) {
            throw fail(argv, "cannot destroy snapshot ${held.name}: dataset is busy")
        }
        if (mode == DestroyMode.RECURSIVE_AND_CLONES) {
            targets.each { t -> clonesOf(t.name).each { destroy(DatasetName.read(it.name), DestroyMode.RECURSIVE_AND_CLONES); calls.removeLast() } }
        }
        targets.each { objects.remove(it.name) }
    }

    @Override
    void destroy(BookmarkName mark) {
        def argv = ['destroy', mark.value()]
        call(argv)
        if (objects.remove(mark.value()) == null) {
            throw fail(argv, "cannot destroy '$mark': bookmark does not exist")
        }
    }

    @Override
    Execution startSend(SendRequest request) { throw new UnsupportedOperationException('InMemoryZfs does not model zfs send') }

    @Override
    Execution startReceive(ReceiveRequest request) { throw new UnsupportedOperationException('InMemoryZfs does not model zfs receive') }

    @Override
    long sendTo(SendRequest send, Zfs target, ReceiveRequest receive) { throw new UnsupportedOperationException('InMemoryZfs does not model zfs send') }

    @Override
    List<DiffEntry> diff(SnapshotName from, String to) { throw new UnsupportedOperationException('InMemoryZfs does not model zfs diff') }
}
