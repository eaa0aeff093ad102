package com.zed.beam

import org.opentest4j.TestAbortedException
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.Timeout

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.FileVisitResult
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.SimpleFileVisitor
import java.nio.file.attribute.BasicFileAttributes
import java.time.Duration
import java.util.concurrent.TimeUnit

/**
 * Builds the test release "tiny" with scripts/lab.d/build-test-releases (real mix, real ERTS), checks the store
 * layout with {@link ReleaseStore}, then runs releases unpacked from their tarballs the way the lab VM will: with a
 * clean environment and no system Erlang (PATH without erl & co; when root, also /usr/lib/erlang and /usr/lib/elixir
 * hidden in a private mount namespace), so the bundled ERTS is what runs.
 *
 * Skipped when mix is not installed, except under CI=true, where that is a failure. Every process it starts (beam,
 * epmd, run_erl) runs from its temp dir, uses private ports (ERL_EPMD_PORT too) and is killed in cleanup.
 *
 * Not Spock's @TempDir: its cleanup (Groovy's File.deleteDir) follows symbolic links to directories, and this spec's
 * temp dir holds links (current-VERSION, the no-Erlang PATH). It deletes its own dir without following any link.
 */
@Stepwise
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReleaseBuildSpec extends Specification {
    static final List<String> VERSIONS = ['1.0.0', '1.0.1', '1.0.2']
    /** What must not be reachable through PATH in the "VM". */
    static final Set<String> ERLANG_PROGRAMS = ['erl', 'erlc', 'erl_call', 'escript', 'epmd', 'run_erl', 'to_erl',
                                                'ct_run', 'dialyzer', 'typer', 'elixir', 'elixirc', 'iex', 'mix'] as Set

    @Shared Path tmp
    @Shared Path repo = Paths.get(System.getProperty('zed.repo', '.')).toAbsolutePath().normalize()
    @Shared Path dist
    @Shared ReleaseStore store
    @Shared Path noErlangBin
    @Shared boolean hideSystemErlang
    @Shared String buildOutput
    @Shared String cookie = "spec-${UUID.randomUUID()}"
    @Shared int epmdPort

    /** Processes started by the current feature, killed in cleanup(). */
    List<Process> started = []
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()

    def setupSpec() {
        if (!onPath('mix') || !onPath('erl')) {
            String why = 'ReleaseBuildSpec needs mix and erl (Debian: apt-get install elixir erlang-nox erlang-dev)'
            if (System.getenv('CI') == 'true') {
                throw new IllegalStateException("CI must build the test releases, but: $why")
            }
            throw new TestAbortedException("skipped: $why")
        }
        tmp = com.zed.support.ScratchDir.create('release-build')
        dist = tmp.resolve('dist')
        store = new ReleaseStore(dist)
        noErlangBin = makeNoErlangBin(tmp.resolve('no-erlang-bin'))
        hideSystemErlang = canHideSystemErlang()
        epmdPort = freePort()
    }

    def cleanup() {
        started.each { p -> p.descendants().forEach { it.destroyForcibly() }; p.destroyForcibly() }
        killEverythingRunningFrom(tmp)
    }

    def cleanupSpec() {
        if (tmp != null) {
            killEverythingRunningFrom(tmp)
            com.zed.support.ScratchDir.delete(tmp)
        }
    }

    def "build-test-releases builds 1.0.0, 1.0.1 and 1.0.2 into the release-store layout"() {
        when:
        def r = run([repo.resolve('scripts/lab.d/build-test-releases').toString(), dist.toString()], [:], 300)
        buildOutput = r.out

        then:
        r.exit == 0
        r.out.contains('took ')
        VERSIONS.every { Files.isRegularFile(dist.resolve("tiny/tiny-${it}.tar.gz")) }
        VERSIONS.every { v ->
            Files.readString(dist.resolve("tiny/tiny-${v}.tar.gz.sha256")) ==~ /[0-9a-f]{64}  tiny-${v}\.tar\.gz\n/
        }
        // nothing but the store layout (and the script's cache key and lock) is left behind
        Files.list(dist).toList()*.fileName*.toString() == ['tiny']
        Files.list(dist.resolve('tiny')).toList()*.fileName*.toString().findAll { !it.startsWith('.') }.sort() ==
                VERSIONS.collectMany { ["tiny-${it}.tar.gz".toString(), "tiny-${it}.tar.gz.sha256".toString()] }.sort()
    }

    def "a second run is cached: nothing is rebuilt"() {
        given:
        def before = VERSIONS.collect { Files.getLastModifiedTime(dist.resolve("tiny/tiny-${it}.tar.gz")) }

        when:
        def r = run([repo.resolve('scripts/lab.d/build-test-releases').toString(), dist.toString()], [:], 60)

        then:
        r.exit == 0
        r.out.contains('up to date')
        VERSIONS.collect { Files.getLastModifiedTime(dist.resolve("tiny/tiny-${it}.tar.gz")) } == before
    }

    def "ReleaseStore finds and verifies all three, and each tarball carries its own ERTS"() {
        expect:
        store.versions('tiny') == VERSIONS

        VERSIONS.each { v ->
            Release rel = store.locate('tiny', v)
            assert rel.size() > 1_000_000
            assert rel.sha256() == ReleaseStore.sha256(rel.path())
            def entries = run(['tar', '-tzf', rel.path().toString()], [:], 60).out.readLines()
            assert entries.contains('bin/tiny')
            assert entries.any { it ==~ /erts-[0-9.]+\/bin\/beam\.smp/ }
            assert entries.contains("releases/$v/start.boot".toString())
            assert entries.contains("lib/tiny-$v/ebin/tiny.app".toString())
        }
    }

    def "the release runs where no Erlang is to be found"() {
        when:
        def r = run(iso(['sh', '-c', 'command -v erl erlc epmd elixir mix || echo none; ls /usr/lib/erlang 2>/dev/null | wc -l'],
                releaseEnv('1.0.0', [http: 0, dist: 0])), [:], 30)
        println "ReleaseBuildSpec: system Erlang " + (hideSystemErlang
                ? 'hidden (private mount namespace + PATH without erl)' : 'off PATH only (not root, or no unshare)')

        then:
        r.exit == 0
        r.out.readLines()[0] == 'none'
        !hideSystemErlang || r.out.readLines()[1] == '0'
    }

    def "#version unpacked and started in the foreground with bundled ERTS: /health #status, rpc, pid, migration, stop"() {
        given:
        Path rel = unpack(version)
        Path current = Files.createSymbolicLink(tmp.resolve("current-$version"), rel)
        def ports = [http: freePort(), dist: freePort()]
        def env = releaseEnv(version, ports)
        def filesBefore = tree(rel)

        when: 'started as systemd would (Type=exec): bin/tiny start, in the foreground'
        Process node = start([current.resolve('bin/tiny').toString(), 'start'], env, tmp.resolve("start-${version}.log"))
        def health = waitForHttp(ports.http, '/health', node, tmp.resolve("start-${version}.log"))

        then:
        health.statusCode() == status
        health.body() == body
        get(ports.http, '/version').body() == version
        get(ports.http, '/nope').statusCode() == 404

        when: 'the running OS process is the release ERTS, not a system Erlang'
        def pid = tiny(current, 'pid', env)

        then:
        pid.exit == 0
        pid.out.trim() ==~ /\d+/
        Files.readSymbolicLink(Paths.get("/proc/${pid.out.trim()}/exe")).startsWith(rel.resolve("erts-${erts(rel)}"))
        Files.readSymbolicLink(Paths.get("/proc/${pid.out.trim()}/exe")).fileName.toString() == 'beam.smp'

        and: 'the node answers rpc with its version and health'
        tiny(current, 'rpc', env, 'IO.puts(Tiny.version())').out.trim() == version
        tiny(current, 'rpc', env, 'IO.inspect(Tiny.health())').out.trim() == healthTerm
        tiny(current, 'rpc', env, 'IO.inspect(node())').out.trim() == ':"tiny@127.0.0.1"'

        when: 'the pre-command (migration) runs through eval, beside the running node'
        Path migrationLog = tmp.resolve("migrations-${version}.log")
        def migrate = tiny(current, 'eval', env + [TINY_MIGRATION_LOG: migrationLog.toString()], 'Tiny.Migrate.run()')
        def failing = tiny(current, 'eval', env + [TINY_MIGRATION_LOG: migrationLog.toString(), TINY_MIGRATION_FAIL: '1'],
                'Tiny.Migrate.run()')

        then:
        migrate.exit == 0
        failing.exit == 1
        failing.out.contains('migration failed')
        Files.readAllLines(migrationLog).size() == 1
        Files.readAllLines(migrationLog)[0].startsWith("tiny $version migrated ")

        when:
        def stop = tiny(current, 'stop', env)

        then:
        stop.exit == 0
        node.waitFor(30, TimeUnit.SECONDS)
        node.exitValue() == 0

        and: 'nothing was written into the release directory'
        tree(rel) == filesBefore

        where:
        version | status | body           | healthTerm
        '1.0.1' | 200    | 'ok 1.0.1'     | ':ok'
        '1.0.2' | 503    | 'broken 1.0.2' | '{:error, :broken}'
    }

    def "1.0.0 as a daemon (run_erl) with RELEASE_TMP outside the release: health, pid, stop"() {
        given:
        Path rel = unpack('1.0.0')
        def ports = [http: freePort(), dist: freePort()]
        Path relTmp = tmp.resolve('daemon-tmp')
        def env = releaseEnv('1.0.0', ports) + [RELEASE_TMP: relTmp.toString()]
        def filesBefore = tree(rel)

        when:
        def daemon = tiny(rel, 'daemon', env)
        def health = waitForHttp(ports.http, '/health', null, relTmp.resolve('log/erlang.log.1'))
        def pid = tiny(rel, 'pid', env).out.trim()

        then:
        daemon.exit == 0
        health.statusCode() == 200
        health.body() == 'ok 1.0.0'
        pid ==~ /\d+/
        Files.readSymbolicLink(Paths.get("/proc/$pid/exe")).startsWith(rel)
        Files.readString(relTmp.resolve('log/erlang.log.1')).contains('tiny 1.0.0 starting on node tiny@127.0.0.1')

        when:
        def stop = tiny(rel, 'stop', env)

        then:
        stop.exit == 0
        waitUntil(30) { !ProcessHandle.of(pid as long).map { it.alive }.orElse(false) }
        tree(rel) == filesBefore
    }

    // ---- helpers ----

    /** The environment Zed hands the release, and nothing else (the "VM" has no Erlang: see iso()). */
    Map<String, String> releaseEnv(String version, Map ports) {
        [
                PATH                : "${noErlangBin}:/usr/sbin:/sbin".toString(),
                HOME                : tmp.toString(),
                RELEASE_NODE        : 'tiny@127.0.0.1',
                RELEASE_DISTRIBUTION: 'name',
                RELEASE_COOKIE      : cookie,
                RELEASE_TMP         : tmp.resolve("release-tmp-$version").toString(),
                ERL_EPMD_PORT       : epmdPort.toString(),
                TINY_DIST_PORT      : ports.dist.toString(),
                TINY_HTTP_PORT      : ports.http.toString(),
                TINY_HTTP_IP        : '127.0.0.1',
        ]
    }

    Path unpack(String version) {
        Release r = store.locate('tiny', version)
        Path dir = Files.createDirectories(tmp.resolve("releases/$version"))
        assert run(['tar', '-xzf', r.path().toString(), '-C', dir.toString()], [:], 60).exit == 0
        dir
    }

    static String erts(Path rel) {
        Files.list(rel).toList()*.fileName*.toString().find { it.startsWith('erts-') }.substring(5)
    }

    static List<String> tree(Path dir) {
        Files.walk(dir).toList().collect { dir.relativize(it).toString() }.sort()
    }

    /** bin/tiny COMMAND [ARG] in the isolated environment. */
    Map tiny(Path rel, String command, Map<String, String> env, String arg = null) {
        run(iso([rel.resolve('bin/tiny').toString(), command] + (arg == null ? [] : [arg]), env), [:], 60)
    }

    Process start(List<String> cmd, Map<String, String> env, Path log) {
        Process p = new ProcessBuilder(iso(cmd, env)).directory(tmp.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start()
        started << p
        p
    }

    /**
     * The command as the VM would run it: env -i with only the given variables; when we may, in a private mount
     * namespace with the system's Erlang and Elixir trees covered by empty tmpfs.
     */
    List<String> iso(List<String> cmd, Map<String, String> env) {
        List<String> envCmd = ['env', '-i'] + env.collect { k, v -> "$k=$v".toString() } + cmd
        if (!hideSystemErlang) {
            return envCmd
        }
        ['unshare', '-m', 'sh', '-c', HIDE_ERLANG + ' && exec "$@"', 'sh'] + envCmd
    }

    static final String HIDE_ERLANG =
            'for d in /usr/lib/erlang /usr/lib/elixir /usr/local/lib/erlang /usr/local/lib/elixir; do ' +
                    '[ ! -d "$d" ] || mount -t tmpfs -o size=1m,mode=0755 zed-spec-hide "$d" || exit 1; done'

    boolean canHideSystemErlang() {
        if (!onPath('unshare') || run(['id', '-u'], [:], 10).out.trim() != '0') {
            return false
        }
        def r = run(['unshare', '-m', 'sh', '-c', HIDE_ERLANG + ' && ! command -v erl && ! test -e /usr/lib/erlang/bin/erl'],
                [:], 30)
        r.exit == 0
    }

    /**
     * A directory of links to the programs in /usr/bin and /bin except Erlang's and Elixir's. Only regular files are
     * linked (never a directory, such as Debian's /usr/bin/X11 -> .).
     */
    static Path makeNoErlangBin(Path dir) {
        Files.createDirectories(dir)
        ['/usr/bin', '/bin'].each { d ->
            Path src = Paths.get(d)
            if (Files.isDirectory(src)) {
                Files.list(src).withCloseable { s ->
                    s.forEach { f ->
                        String n = f.fileName.toString()
                        Path link = dir.resolve(n)
                        if (!ERLANG_PROGRAMS.contains(n) && Files.isRegularFile(f)
                                && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            Files.createSymbolicLink(link, f)
                        }
                    }
                }
            }
        }
        dir
    }

    static Map run(List<String> cmd, Map<String, String> env, int timeoutSeconds) {
        def pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        pb.environment().putAll(env)
        Process p = pb.start()
        def out = new StringBuilder()
        Thread reader = Thread.start { out.append(p.inputStream.getText('UTF-8')) }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach { it.destroyForcibly() }
            p.destroyForcibly()
            throw new AssertionError("timed out after ${timeoutSeconds}s: ${cmd.join(' ')}\n$out")
        }
        reader.join(10_000)
        [exit: p.exitValue(), out: out.toString()]
    }

    HttpResponse<String> get(int port, String path) {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port$path")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())
    }

    HttpResponse<String> waitForHttp(int port, String path, Process node, Path log) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60)
        while (true) {
            try {
                return get(port, path)
            } catch (IOException e) {
                if (node != null && !node.alive || System.nanoTime() > deadline) {
                    String output = Files.exists(log) ? Files.readString(log) : '(no log)'
                    throw new AssertionError("tiny did not answer on $port ($e); node " +
                            (node == null ? '' : node.alive ? 'still running' : "exited ${node.exitValue()}") +
                            "; its output:\n$output")
                }
                Thread.sleep(200)
            }
        }
    }

    static boolean waitUntil(int seconds, Closure<Boolean> cond) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds)
        while (!cond()) {
            if (System.nanoTime() > deadline) {
                return false
            }
            Thread.sleep(200)
        }
        true
    }

    static int freePort() {
        new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
    }

    static boolean onPath(String program) {
        System.getenv('PATH').split(':').any { Files.isExecutable(Paths.get(it, program)) }
    }


    /** Kills the processes whose executable lies under dir: our beams, epmd and run_erl, and nobody else's. */
    static void killEverythingRunningFrom(Path dir) {
        String prefix = dir.toRealPath().toString() + '/'
        ProcessHandle.allProcesses()
                .filter { h -> h.info().command().map { it.startsWith(prefix) }.orElse(false) }
                .forEach { it.destroyForcibly() }
    }
}
