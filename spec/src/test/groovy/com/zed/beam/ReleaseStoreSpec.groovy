package com.zed.beam

import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest

class ReleaseStoreSpec extends Specification {
    Path root = com.zed.support.ScratchDir.create('store')

    def cleanup() {
        com.zed.support.ScratchDir.delete(root)
    }
    ReleaseStore store

    def setup() {
        store = new ReleaseStore(root)
    }

    static String hex(byte[] bytes) {
        MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString()
    }

    /** Puts app-version.tar.gz (content bytes) into the store, with a checksum file unless sha is false. */
    Path put(String app, String version, byte[] content = "tarball of $app $version".bytes, def sha = true) {
        Path dir = Files.createDirectories(root.resolve(app))
        Path tarball = dir.resolve("$app-${version}.tar.gz")
        Files.write(tarball, content)
        if (sha == true) {
            Files.writeString(dir.resolve("$app-${version}.tar.gz.sha256"), "${hex(content)}  $app-${version}.tar.gz\n")
        } else if (sha instanceof CharSequence) {
            Files.writeString(dir.resolve("$app-${version}.tar.gz.sha256"), sha.toString())
        }
        tarball
    }

    def "locates and verifies a good release"() {
        given:
        byte[] content = (0..<100_000).collect { (byte) (it * 31) } as byte[]
        Path tarball = put('tiny', '1.0.1', content)

        when:
        Release r = store.locate('tiny', '1.0.1')

        then:
        r.app() == 'tiny'
        r.version() == '1.0.1'
        r.path() == tarball
        r.sha256() == hex(content)
        r.size() == 100_000
        r.fileName() == 'tiny-1.0.1.tar.gz'
        r.checksumPath() == tarball.resolveSibling('tiny-1.0.1.tar.gz.sha256')
        ReleaseStore.sha256(tarball) == r.sha256()
    }

    def "accepts the checksum file as '#display'"() {
        given:
        byte[] content = 'x'.bytes
        String h = hex(content)
        put('tiny', '1.0.0', content, text.replace('HEX', h).replace('UPPER', h.toUpperCase()))

        expect:
        store.locate('tiny', '1.0.0').sha256() == h

        where:
        text                                                                   | display
        'HEX  tiny-1.0.0.tar.gz\n'                                             | 'sha256sum text mode'
        'HEX *tiny-1.0.0.tar.gz\n'                                             | 'sha256sum binary mode'
        'HEX  tiny-1.0.0.tar.gz'                                               | 'no final newline'
        'HEX\n'                                                                | 'bare hex'
        'UPPER  tiny-1.0.0.tar.gz\n'                                           | 'upper-case hex'
        'HEX  dist/tiny/tiny-1.0.0.tar.gz\n'                                   | 'a path ending in the file name'
        "${'0' * 64}  tiny-0.9.tar.gz\nHEX  tiny-1.0.0.tar.gz\n"               | 'one line of several files'
        '\nHEX  tiny-1.0.0.tar.gz\r\n\n'                                       | 'blank lines and CRLF'
    }

    def "#why is a #reason ReleaseException naming app, version and path"() {
        given:
        setupStore.call(this)

        when:
        store.locate(app, version)

        then:
        def e = thrown(ReleaseException)
        e.reason() == reason
        e.app() == app
        e.version() == version
        e.path() == root.resolve(app).resolve(file)
        e.message.startsWith("$app $version: ")
        e.message.contains(root.resolve(app).resolve(file).toString())
        e.message.contains(says)

        where:
        why                         | app    | version | file                          | reason                                        | says                                        | setupStore
        'a missing tarball'         | 'tiny' | '1.0.3' | 'tiny-1.0.3.tar.gz'           | ReleaseException.Reason.MISSING_TARBALL       | 'does not exist (the store has tiny 1.0.0)' | { it.put('tiny', '1.0.0') }
        'a missing app'             | 'nope' | '1.0.0' | 'nope-1.0.0.tar.gz'           | ReleaseException.Reason.MISSING_TARBALL       | 'no directory'                              | { }
        'a missing checksum'        | 'tiny' | '1.0.0' | 'tiny-1.0.0.tar.gz.sha256'    | ReleaseException.Reason.MISSING_CHECKSUM      | 'does not exist'                            | { it.put('tiny', '1.0.0', 'x'.bytes, false) }
        'an empty checksum'         | 'tiny' | '1.0.0' | 'tiny-1.0.0.tar.gz.sha256'    | ReleaseException.Reason.MALFORMED_CHECKSUM    | 'it is empty'                               | { it.put('tiny', '1.0.0', 'x'.bytes, '\n') }
        'a short hash'              | 'tiny' | '1.0.0' | 'tiny-1.0.0.tar.gz.sha256'    | ReleaseException.Reason.MALFORMED_CHECKSUM    | 'sha256sum format'                          | { it.put('tiny', '1.0.0', 'x'.bytes, 'abc123  tiny-1.0.0.tar.gz\n') }
        'an md5 in the file'        | 'tiny' | '1.0.0' | 'tiny-1.0.0.tar.gz.sha256'    | ReleaseException.Reason.MALFORMED_CHECKSUM    | 'sha256sum format'                          | { it.put('tiny', '1.0.0', 'x'.bytes, "${'a' * 32}  tiny-1.0.0.tar.gz\n") }
        'not hex'                   | 'tiny' | '1.0.0' | 'tiny-1.0.0.tar.gz.sha256'    | ReleaseException.Reason.MALFORMED_CHECKSUM    | 'sha256sum format'                          | { it.put('tiny', '1.0.0', 'x'.bytes, "${'g' * 64}  tiny-1.0.0.tar.gz\n") }
        'the checksum of another'   | 'tiny' | '1.0.0' | 'tiny-1.0.0.tar.gz.sha256'    | ReleaseException.Reason.MALFORMED_CHECKSUM    | 'names tiny-0.9.tar.gz, not tiny-1.0.0.tar.gz' | { it.put('tiny', '1.0.0', 'x'.bytes, "${'0' * 64}  tiny-0.9.tar.gz\n") }
        'HTML instead of a hash'    | 'tiny' | '1.0.0' | 'tiny-1.0.0.tar.gz.sha256'    | ReleaseException.Reason.MALFORMED_CHECKSUM    | "line '<html>"                              | { it.put('tiny', '1.0.0', 'x'.bytes, '<html>404</html>\n') }
    }

    def "a corrupt tarball (#where byte flipped) is a mismatch that names both hashes"() {
        given:
        byte[] good = (0..<70_000).collect { (byte) it } as byte[]
        Path tarball = put('tiny', '1.0.1', good)
        byte[] bad = good.clone()
        int i = index(bad.length)
        bad[i] = (byte) (bad[i] ^ 0x01)
        Files.write(tarball, bad)

        when:
        store.locate('tiny', '1.0.1')

        then:
        def e = thrown(ReleaseChecksumMismatchException)
        e.reason() == ReleaseException.Reason.CHECKSUM_MISMATCH
        e.path() == tarball
        e.expected() == hex(good)
        e.actual() == hex(bad)
        e.message.contains(hex(good))
        e.message.contains(hex(bad))
        e.message.contains('tiny 1.0.1: checksum mismatch for ' + tarball)

        where:
        where    | index
        'first'  | { n -> 0 }
        'middle' | { n -> n.intdiv(2) }
        'last'   | { n -> n - 1 }
    }

    def "a truncated tarball is a mismatch too"() {
        given:
        Path tarball = put('tiny', '1.0.1', new byte[1000])
        Files.write(tarball, new byte[999])

        when:
        store.locate('tiny', '1.0.1')

        then:
        thrown(ReleaseChecksumMismatchException)
    }

    def "refuses app '#app' version '#version': #why"() {
        given: 'a file the escape would reach'
        Files.writeString(root.resolveSibling('x.tar.gz'), 'outside')

        when:
        store.locate(app, version)

        then:
        def e = thrown(ReleaseException)
        e.reason() == ReleaseException.Reason.INVALID_NAME
        e.path() == null
        e.message.contains(says)

        when: 'the path alone is asked for'
        store.tarball(app, version)

        then:
        thrown(ReleaseException)

        where:
        app          | version            | says                 | why
        'tiny'       | '../x'             | "invalid version '../x'" | 'parent directory'
        'tiny'       | '../../x'          | 'invalid version'    | 'grandparent'
        'tiny'       | 'a/b'              | 'invalid version'    | 'slash'
        'tiny'       | '/etc/passwd'      | 'invalid version'    | 'absolute'
        'tiny'       | '..'               | 'invalid version'    | 'dotdot'
        'tiny'       | '1..2'             | 'invalid version'    | "contains '..'"
        'tiny'       | '.hidden'          | 'invalid version'    | 'dot first'
        'tiny'       | ''                 | 'invalid version'    | 'empty'
        'tiny'       | null               | 'invalid version'    | 'null'
        'tiny'       | '1.0 1'            | 'invalid version'    | 'space'
        'tiny'       | '1.0\n'            | 'invalid version'    | 'newline'
        'tiny'       | '1.0;rm'           | 'invalid version'    | 'shell metacharacter'
        'tiny'       | '-1.0'             | 'invalid version'    | 'option-like'
        'tiny'       | '1' * 65           | 'invalid version'    | 'too long'
        '../x'       | '1.0.0'            | "invalid app name '../x'" | 'app escapes'
        'a/b'        | '1.0.0'            | 'invalid app name'   | 'app with slash'
        '..'         | '1.0.0'            | 'invalid app name'   | 'app dotdot'
        'a..b'       | '1.0.0'            | 'invalid app name'   | "app contains '..'"
        '1tiny'      | '1.0.0'            | 'invalid app name'   | 'app starts with a digit'
        ''           | '1.0.0'            | 'invalid app name'   | 'empty app'
        null         | '1.0.0'            | 'invalid app name'   | 'null app'
    }

    def "accepts the model's plain names and versions"() {
        expect:
        store.tarball(app, version) == root.resolve(app).resolve("$app-${version}.tar.gz")

        where:
        app        | version
        'tiny'     | '1.0.0'
        'my_app'   | '2.0.0-rc.1'
        'my-app.x' | '1.0.0+build.7'
        'A'        | 'v1'
    }

    def "versions lists tarballs in version order (#display)"() {
        given:
        names.each { put('tiny', it) }
        Files.writeString(Files.createDirectories(root.resolve('tiny')).resolve('README'), 'not a release')
        Files.writeString(root.resolve('tiny').resolve('other-9.9.9.tar.gz'), 'another app')
        Files.createDirectories(root.resolve('tiny').resolve('tiny-5.0.0.tar.gz')) // a directory, not a tarball

        expect:
        store.versions('tiny') == sorted
        store.latest('tiny') == sorted.last()

        where:
        names                                                   | sorted                                                   | display
        ['1.0.2', '1.0.0', '1.0.1']                             | ['1.0.0', '1.0.1', '1.0.2']                              | 'patches'
        ['1.0.10', '1.0.9', '1.0.1', '1.0.100']                 | ['1.0.1', '1.0.9', '1.0.10', '1.0.100']                  | '1.0.10 after 1.0.9'
        ['10.0.0', '9.99.99', '2.0.0']                          | ['2.0.0', '9.99.99', '10.0.0']                           | 'majors'
        ['1.0.0', '1.0.0-rc.1', '1.0.0-rc.2', '1.0.0-beta']     | ['1.0.0-beta', '1.0.0-rc.1', '1.0.0-rc.2', '1.0.0']      | 'pre-releases before the release'
        ['1.0.0+b2', '1.0.0', '1.0.1']                          | ['1.0.0', '1.0.0+b2', '1.0.1']                           | 'build metadata after'
        ['1.2', '1.10', '1.2.1']                                | ['1.2', '1.2.1', '1.10']                                 | 'two and three parts'
        ['1.01', '1.1']                                         | ['1.01', '1.1']                                          | 'numerically equal: by text'
        ['99999999999999999999.0', '100000000000000000000.0']   | ['99999999999999999999.0', '100000000000000000000.0']    | 'numbers beyond long'
    }

    def "versions of an app without a directory is empty; of an invalid app name, an error"() {
        expect:
        store.versions('nothing') == []
        store.latest('nothing') == null

        when:
        store.versions('../etc')

        then:
        thrown(ReleaseException)
    }

    def "the version order is a consistent total order"() {
        given:
        def vs = ['1.0.0', '1.0.0-rc.1', '1.0', '1.0.0+b', '1.0.10', '1.0.9', '1.01', '1.1', '2', 'v1', '1.0.0-alpha', '1.0.a']

        expect:
        vs.each { a ->
            assert ReleaseStore.VERSION_ORDER.compare(a, a) == 0
            vs.each { b ->
                assert Integer.signum(ReleaseStore.VERSION_ORDER.compare(a, b)) == -Integer.signum(ReleaseStore.VERSION_ORDER.compare(b, a))
                if (a != b) {
                    assert ReleaseStore.VERSION_ORDER.compare(a, b) != 0
                }
                vs.each { c ->
                    if (ReleaseStore.VERSION_ORDER.compare(a, b) < 0 && ReleaseStore.VERSION_ORDER.compare(b, c) < 0) {
                        assert ReleaseStore.VERSION_ORDER.compare(a, c) < 0
                    }
                }
            }
        }
    }
}
