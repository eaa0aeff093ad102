package com.zed.replicate

import com.zed.exec.SshRunner
import com.zed.replicate.ReplicationResult.Outcome
import com.zed.support.LabHosts
import com.zed.support.LabSpecification
import com.zed.zfs.DatasetName
import com.zed.zfs.DestroyMode
import com.zed.zfs.PropertyName
import com.zed.zfs.PropertySource
import com.zed.zfs.ZfsCli
import com.zed.zfs.ZfsException
import spock.lang.Shared
import spock.lang.Stepwise

/**
 * Replication between two namespace hosts of the lab ({@code scripts/lab hosts up}): the source is
 * pool zh1 on host zh1, the target pool zh2 on host zh2, each reached through its own SSH session
 * (jumping through the lab's sshd) to its own sshd in its own network namespace. The stream leaves
 * zh1's sshd on one channel, crosses the JVM, and enters zh2's sshd on the other.
 */
class ReplicationLiveSpec extends LabSpecification {
    @Shared SshRunner srcRunner
    @Shared SshRunner dstRunner
    @Shared ZfsCli src
    @Shared ZfsCli dst
    @Shared DatasetName sourceRoot
    @Shared DatasetName targetRoot
    @Shared ByteArrayOutputStream progress = new ByteArrayOutputStream()

    def setupSpec() {
        srcRunner = LabHosts.runner('zh1')
        dstRunner = LabHosts.runner('zh2')
        src = new ZfsCli(srcRunner)
        dst = new ZfsCli(dstRunner)
        String leaf = root.value().substring(root.value().indexOf('/') + 1)
        sourceRoot = DatasetName.of("zh1/$leaf")
        targetRoot = DatasetName.of("zh2/$leaf")
        src.create(sourceRoot, [:], false)
        dst.create(targetRoot, [:], false)
    }

    def cleanupSpec() {
        [[src, sourceRoot], [dst, targetRoot]].each { ZfsCli z, DatasetName top ->
            if (z != null && top != null && z.exists(top.value())) {
                z.snapshots(top, true).findAll { it.held }.each { s -> z.holds(s.name()).each { h -> z.release(h.tag(), [s.name()], false) } }
                z.destroy(top, DestroyMode.RECURSIVE_AND_CLONES)
            }
        }
        srcRunner?.close()
        dstRunner?.close()
    }

    /** A fresh dataset under this spec's root on zh1. */
    DatasetName fresh(String prefix) {
        DatasetName ds = sourceRoot.child("$prefix-${System.nanoTime() % 1_000_000_000}")
        src.create(ds, [:], false)
        ds
    }

    String mountpoint(DatasetName ds) {
        (ds.value().startsWith('zh2/') ? dst : src).properties(ds, false).value(ds.value(), 'mountpoint').orElseThrow()
    }

    Replicator replicator() {
        new Replicator(src, dst, new PrintStream(progress, true), System.&nanoTime, 0L)
    }

    ReplicationJob job(DatasetName from, DatasetName to, Map opts = [:]) {
        new ReplicationJob(from, to, 'zh2', opts.raw ?: false, opts.compressed ?: false, opts.rollback ?: false,
                opts.keep ? OptionalInt.of(opts.keep as int) : OptionalInt.empty())
    }

    void fill(DatasetName ds, String file, int mib) {
        def r = srcRunner.run(['dd', 'if=/dev/urandom', "of=${mountpoint(ds)}/$file".toString(), 'bs=1M', "count=$mib".toString(), 'status=none'])
        assert r.ok(), r.stderr()
    }

    List<String> guids(ZfsCli z, DatasetName ds) { z.snapshots([ds])*.guid() }

    List<String> heldByUs(DatasetName ds, ReplicationJob j) {
        src.snapshots([ds]).findAll { it.held }.findAll { s -> src.holds(s.name()).any { it.tag() == j.holdTag() } }*.name()*.shortName()
    }

    def "five deploys replicate as one full and four incremental streams; holds move, bookmarks follow, com.zed properties arrive"() {
        given:
        def from = fresh('chain')
        def to = targetRoot.child('chain')
        def j = job(from, to)
        def results = []

        when:
        (1..5).each { i ->
            fill(from, "f$i", 1)
            src.set(from.value(), [(PropertyName.zed('version')): "1.0.$i".toString()])
            src.snapshot([from.snapshot("d$i")], false, [(PropertyName.zed('release')): "r$i".toString()])
            results << replicator().replicate(j)
        }
        def again = replicator().replicate(j)
        def props = dst.properties(to, false)

        then: 'every deploy arrived; the target holds exactly the source snapshots, matched by guid'
        results*.outcome() == [Outcome.REPLICATED] * 5
        guids(dst, to) == guids(src, from)
        results.every { it.bytes() > 0 }
        results[1].steps().any { it.startsWith("incremental from ${from}@d1") }

        and: 'nothing new: up to date, no bytes'
        again.outcome() == Outcome.UP_TO_DATE
        again.bytes() == 0

        and: 'the hold sits on the newest snapshot only; every replicated snapshot has a bookmark'
        heldByUs(from, j) == ['d5']
        src.bookmarks(from)*.value().collect { it.substring(it.indexOf('#') + 1) } as Set == (1..5).collect { "d$it".toString() } as Set

        and: 'com.zed properties travelled with the stream (send -p) and arrive as received'
        props.value(to.value(), 'com.zed:version').get() == '1.0.5'
        props.get(to.value(), PropertyName.zed('version')).get().source() == PropertySource.RECEIVED
        dst.snapshots([to]).last().user(PropertyName.zed('release')).get() == 'r5'

        and: 'progress went to the given stream'
        progress.toString().contains('done')
    }

    def "a stream broken mid-way leaves a resume token; the next run resumes from it and completes"() {
        given:
        def from = fresh('resume')
        def to = targetRoot.child('resume')
        def j = job(from, to)
        fill(from, 'a', 1)
        src.snapshot([from.snapshot('s1')], false, [:])
        replicator().replicate(j)
        fill(from, 'b', 12)
        src.snapshot([from.snapshot('s2')], false, [:])

        when: 'the sending channel is killed after 2 MiB'
        boolean killed = false
        replicator().withHook { long n, send, recv -> if (n > 2 * 1024 * 1024 && !killed) { killed = true; send.kill() } }.replicate(j)

        then:
        thrown(RuntimeException)
        killed
        // a resume token is a long hex string (zfs prints '-', read as absent, when there is none)
        dst.properties([to.value()], [Replicator.RESUME_TOKEN]).value(to.value(), 'receive_resume_token').get() ==~ /[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+/

        when:
        def r = replicator().replicate(j)

        then:
        r.outcome() == Outcome.REPLICATED
        r.steps()[0].startsWith('resumed')
        guids(dst, to) == guids(src, from)
        dst.properties([to.value()], [Replicator.RESUME_TOKEN]).value(to.value(), 'receive_resume_token').isEmpty()
        heldByUs(from, j) == ['s2']
    }

    def "a resume token whose snapshot the source destroyed is discarded (zfs receive -A), then the chain goes on"() {
        given: 'a stream from s1 to s2 cut mid-way: the target keeps a token for s2'
        def from = fresh('stale')
        def to = targetRoot.child('stale')
        def j = job(from, to)
        fill(from, 'a', 1)
        src.snapshot([from.snapshot('s1')], false, [:])
        replicator().replicate(j)
        fill(from, 'b', 6)
        src.snapshot([from.snapshot('s2')], false, [:])
        boolean killed = false
        try {
            replicator().withHook { long n, send, recv -> if (n > 1024 * 1024 && !killed) { killed = true; send.kill() } }.replicate(j)
        } catch (RuntimeException ignored) {
        }
        assert killed
        assert dst.properties([to.value()], [Replicator.RESUME_TOKEN]).value(to.value(), 'receive_resume_token').isPresent()

        and: 'the snapshot the token refers to is held by us (placed as the stream started), so pruning alone cannot strand it'
        heldByUs(from, j) as Set == ['s1', 's2'] as Set

        when: 'someone releases our hold and destroys s2 anyway (the token can never be resumed), then takes s3'
        src.release(j.holdTag(), [from.snapshot('s2')], false)
        src.destroy(from.snapshot('s2'), DestroyMode.SINGLE)
        fill(from, 'c', 1)
        src.snapshot([from.snapshot('s3')], false, [:])
        progress.reset()
        def r = replicator().replicate(j)

        then: 'the partial receive is discarded, saying so on the progress stream, and s3 follows from s1'
        r.outcome() == Outcome.REPLICATED
        r.steps()[0].startsWith("discarded the partial receive on $to".toString())
        r.steps()[0].contains("${from}@s2".toString())
        r.steps()[1] == "incremental from ${from}@s1 to ${from}@s3".toString()
        progress.toString().contains('zfs receive -A')
        guids(dst, to) == guids(src, from)
        dst.properties([to.value()], [Replicator.RESUME_TOKEN]).value(to.value(), 'receive_resume_token').isEmpty()
        heldByUs(from, j) == ['s3']
    }

    def "the source pruned its base snapshot: the bookmark carries the next incremental"() {
        given:
        def from = fresh('pruned')
        def to = targetRoot.child('pruned')
        def j = job(from, to)
        fill(from, 'a', 1)
        src.snapshot([from.snapshot('s1')], false, [:])
        replicator().replicate(j)

        when: 'the base is released and destroyed on the source, then a new snapshot is taken'
        src.release(j.holdTag(), [from.snapshot('s1')], false)
        src.destroy(from.snapshot('s1'), DestroyMode.SINGLE)
        fill(from, 'b', 1)
        src.snapshot([from.snapshot('s2')], false, [:])
        def r = replicator().replicate(j)

        then:
        r.outcome() == Outcome.REPLICATED
        r.steps()[0] == "incremental from ${from}#s1 to ${from}@s2".toString()
        dst.snapshots([to])*.name()*.shortName() == ['s1', 's2']
        heldByUs(from, j) == ['s2']
    }

    def "a diverged target is refused (a snapshot of its own, or writes), and rolled back only when allowed"() {
        given:
        def from = fresh('div')
        def to = targetRoot.child('div')
        fill(from, 'a', 1)
        src.snapshot([from.snapshot('s1')], false, [:])
        replicator().replicate(job(from, to))
        fill(from, 'b', 1)
        src.snapshot([from.snapshot('s2')], false, [:])

        when: 'someone snapshots the target'
        dst.snapshot([to.snapshot('local')], false, [:])
        def refused = replicator().replicate(job(from, to))

        then:
        refused.outcome() == Outcome.REFUSED
        refused.message().contains("${to}@local".toString())
        dst.snapshots([to])*.name()*.shortName() == ['s1', 'local']

        when: 'the snapshot goes, but the target is written'
        dst.destroy(to.snapshot('local'), DestroyMode.SINGLE)
        dstRunner.run(['zfs', 'mount', to.value()])
        assert dstRunner.run(['dd', 'if=/dev/urandom', "of=${mountpoint(to)}/stray".toString(), 'bs=64k', 'count=4', 'conv=fsync', 'status=none']).ok()
        dstRunner.run(['sync'])
        def refusedWrite = replicator().replicate(job(from, to))

        then:
        refusedWrite.outcome() == Outcome.REFUSED
        refusedWrite.message() =~ /\d+ bytes written on the target/

        when: 'the rollback is allowed explicitly'
        def forced = replicator().replicate(job(from, to, [rollback: true]))

        then:
        forced.outcome() == Outcome.REPLICATED
        forced.steps()[0].startsWith("rolled the target back to ${to}@s1")
        guids(dst, to) == guids(src, from)
    }

    def "raw and compressed streams make working replicas; keep N on the target spares the newest common snapshot"() {
        given:
        def from = fresh('opts')
        src.set(from.value(), [(PropertyName.of('compression')): 'lz4'])
        def raw = targetRoot.child('raw')
        def comp = targetRoot.child('comp')
        (1..4).each { i ->
            fill(from, "f$i", 1)
            src.snapshot([from.snapshot("s$i")], false, [:])
        }

        when:
        def r1 = replicator().replicate(job(from, raw, [raw: true]))
        def r2 = replicator().replicate(job(from, comp, [compressed: true, keep: 2]))
        dstRunner.run(['zfs', 'mount', raw.value()])
        dstRunner.run(['zfs', 'mount', comp.value()])
        def sum = { SshRunner r, DatasetName ds -> r.run(['sha256sum', "${mountpoint(ds)}/f4".toString()]).stdout().tokenize()[0] }

        then:
        r1.outcome() == Outcome.REPLICATED
        r2.outcome() == Outcome.REPLICATED
        guids(dst, raw) == guids(src, from)
        sum(dstRunner, raw) == sum(srcRunner, from)
        sum(dstRunner, comp) == sum(srcRunner, from)

        and: 'keep 2: the two newest stay on the target, whatever the source keeps'
        dst.snapshots([comp])*.name()*.shortName() == ['s3', 's4']
        r2.destroyed().size() == 2
        src.snapshots([from]).size() == 4
        // each job holds its own base on the source
        heldByUs(from, job(from, raw)) == ['s4']
        heldByUs(from, job(from, comp)) == ['s4']
    }

    def "zed replicate --ssh-config CFG zh1:SRC zh2:DST: replicates host to host, prints JSON, exits 4 when the target diverged"() {
        given:
        def from = fresh('cli')
        def to = targetRoot.child('cli')
        fill(from, 'a', 1)
        src.snapshot([from.snapshot('s1')], false, [:])
        def run = { String... a ->
            def out = new StringWriter()
            def err = new StringWriter()
            def cl = com.zed.cli.Main.commandLine()
            cl.out = new PrintWriter(out)
            cl.err = new PrintWriter(err)
            [code: cl.execute(a), out: out.toString(), err: err.toString()]
        }

        when:
        String cfg = LabHosts.sshConfig().toString()
        def first = run('replicate', '--ssh-config', cfg, '--json', "zh1:$from".toString(), "zh2:$to".toString())
        def json = new com.fasterxml.jackson.databind.ObjectMapper().readValue(first.out, List)

        then:
        first.code == 0
        json[0].outcome == 'replicated'
        json[0].source == "zh1:$from".toString()
        json[0].target == "zh2:$to".toString()
        guids(dst, to) == guids(src, from)

        when:
        dst.snapshot([to.snapshot('mine')], false, [:])
        fill(from, 'b', 1)
        src.snapshot([from.snapshot('s2')], false, [:])
        def second = run('replicate', '--ssh-config', cfg, "zh1:$from".toString(), "zh2:$to".toString())

        then:
        second.code == 4
        second.out.contains('REFUSED')
        second.out.contains("${to}@mine".toString())
    }
}
