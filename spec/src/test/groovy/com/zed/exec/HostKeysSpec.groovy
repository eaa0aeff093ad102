package com.zed.exec

import com.zed.support.ScratchDir
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

/**
 * The host-key decision against known_hosts text, with keys, hashed lines and fingerprints recorded
 * from OpenSSH 9.2 (ssh-keygen -t ed25519 / ecdsa, ssh-keygen -H, ssh-keygen -lf).
 */
class HostKeysSpec extends Specification {
    static final String A = 'AAAAC3NzaC1lZDI1NTE5AAAAILoJFiHfTlgm1c7/fxBRbc7seUyiwqxjO3jxrg3syY1g'
    static final String B = 'AAAAC3NzaC1lZDI1NTE5AAAAIDH2yGX27dVHB1b+EDoTjSAMhiNrO2O2OBvfFDjxeWF/'
    static final String C = 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBD3dS19SNpeVyfaUdDwHjBjuU87pOyDDN1LLlPllh0iV8Kk550131snz4Aw5X/qLIfaTc0tYVj4oGI44t17uJuo='
    // ssh-keygen -H of "10.77.0.12 ssh-ed25519 A" and "[127.0.0.1]:2222 ssh-ed25519 B"
    static final String HASHED = '''\
|1|0CiRl1CTRoOeKVsqGhE7BGjUaJo=|k5APEA9vCrAWre7uajiV3NgZBUI= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILoJFiHfTlgm1c7/fxBRbc7seUyiwqxjO3jxrg3syY1g
|1|Z8yjQcn7FDuMMTNU2i0r0Dfp8q4=|vxFEPtjbfyb+T3EPAYGKU1xh/Fs= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDH2yGX27dVHB1b+EDoTjSAMhiNrO2O2OBvfFDjxeWF/
'''
    static final Path FILE = Path.of('/home/op/.ssh/known_hosts')

    static byte[] key(String b64) {
        Base64.decoder.decode(b64)
    }

    def "#name offering #offered is #verdict"() {
        given:
        def keys = HostKeys.parse(FILE, text)
        def k = [A: A, B: B, C: C][offered]

        when:
        def r = keys.check(name, HostKeys.typeOf(key(k)), key(k))

        then:
        r.verdict() == verdict
        (r.entry()?.line()) == line

        where:
        text                                               | name               | offered | verdict                         | line
        "db1 ssh-ed25519 $A\n"                             | 'db1'              | 'A'     | HostKeys.Verdict.KNOWN          | 1
        "db1 ssh-ed25519 $A\n"                             | 'DB1'              | 'A'     | HostKeys.Verdict.KNOWN          | 1
        "db1 ssh-ed25519 $A\n"                             | 'db2'              | 'A'     | HostKeys.Verdict.UNKNOWN        | null
        "db1 ssh-ed25519 $A\n"                             | 'db1'              | 'B'     | HostKeys.Verdict.CHANGED        | 1
        "# c\n\ndb1,db2 ssh-ed25519 $B\ndb2 ssh-ed25519 $A\n" | 'db2'           | 'A'     | HostKeys.Verdict.KNOWN          | 4
        "db1 ssh-ed25519 $A\n"                             | '[db1]:2222'       | 'A'     | HostKeys.Verdict.UNKNOWN        | null
        "[db1]:2222 ssh-ed25519 $A\n"                      | '[db1]:2222'       | 'A'     | HostKeys.Verdict.KNOWN          | 1
        "*.lan ssh-ed25519 $A\n"                           | 'db1.lan'          | 'A'     | HostKeys.Verdict.KNOWN          | 1
        "*.lan,!db9.lan ssh-ed25519 $A\n"                  | 'db9.lan'          | 'A'     | HostKeys.Verdict.UNKNOWN        | null
        "db?.lan ssh-ed25519 $A\n"                         | 'db10.lan'         | 'A'     | HostKeys.Verdict.UNKNOWN        | null
        "db1 ecdsa-sha2-nistp256 $C\n"                     | 'db1'              | 'A'     | HostKeys.Verdict.OTHER_TYPE     | 1
        "db1 ecdsa-sha2-nistp256 $C\ndb1 ssh-ed25519 $A\n" | 'db1'              | 'A'     | HostKeys.Verdict.KNOWN          | 2
        "@revoked db1 ssh-ed25519 $A\ndb1 ssh-ed25519 $A\n" | 'db1'             | 'A'     | HostKeys.Verdict.REVOKED        | 1
        "@revoked * ssh-ed25519 $B\ndb1 ssh-ed25519 $A\n"  | 'db1'              | 'A'     | HostKeys.Verdict.KNOWN          | 2
        "@cert-authority * ssh-ed25519 $A\n"               | 'db1'              | 'A'     | HostKeys.Verdict.UNKNOWN        | null
        "db1 ssh-ed25519 not-base64!\ndb1\n"               | 'db1'              | 'A'     | HostKeys.Verdict.UNKNOWN        | null
        HASHED                                             | '10.77.0.12'       | 'A'     | HostKeys.Verdict.KNOWN          | 1
        HASHED                                             | '10.77.0.12'       | 'B'     | HostKeys.Verdict.CHANGED        | 1
        HASHED                                             | '[127.0.0.1]:2222' | 'B'     | HostKeys.Verdict.KNOWN          | 2
        HASHED                                             | '127.0.0.1'        | 'B'     | HostKeys.Verdict.UNKNOWN        | null
        HASHED                                             | '10.77.0.13'       | 'A'     | HostKeys.Verdict.UNKNOWN        | null
    }

    def "the name looked up carries the port unless it is 22"() {
        expect:
        HostKeys.lookupName('db1', 22) == 'db1'
        HostKeys.lookupName('db1', 2222) == '[db1]:2222'
        HostKeys.lookupName('127.0.0.1', 26420) == '[127.0.0.1]:26420'
    }

    def "fingerprints read as ssh-keygen -l prints them"() {
        expect:
        HostKeys.fingerprint(key(k)) == fp
        HostKeys.typeOf(key(k)) == type

        where:
        k | type                  | fp
        A | 'ssh-ed25519'         | 'SHA256:ts5JU5dx6YLyD0sc25QYVM4DyPOIrbr106x7/d20HXw'
        C | 'ecdsa-sha2-nistp256' | 'SHA256:Y1bb5119x/G2HpSkwHUg8nowRxLdZU1CZJo+Kno6gM4'
    }

    def "an accepted key is appended, hashed or not, and is known afterwards under that name only"() {
        given:
        def dir = ScratchDir.create('hostkeys')
        def file = dir.resolve('sub/known_hosts')
        def keys = HostKeys.load([file])

        when: 'the file and its directory do not exist yet'
        keys.append('[db1]:2222', 'ssh-ed25519', key(A), hashed)
        keys.append('db2', 'ssh-ed25519', key(B), hashed)
        def lines = Files.readAllLines(file)
        def again = HostKeys.load([file])

        then:
        lines.size() == 2
        lines.every { it.startsWith('|1|') } == hashed
        !hashed || !lines.any { it.contains('db1') || it.contains('db2') }
        again.check('[db1]:2222', 'ssh-ed25519', key(A)).verdict() == HostKeys.Verdict.KNOWN
        again.check('db2', 'ssh-ed25519', key(B)).verdict() == HostKeys.Verdict.KNOWN
        again.check('db1', 'ssh-ed25519', key(A)).verdict() == HostKeys.Verdict.UNKNOWN
        again.check('db2', 'ssh-ed25519', key(A)).verdict() == HostKeys.Verdict.CHANGED

        cleanup:
        ScratchDir.delete(dir)

        where:
        hashed << [false, true]
    }

    def "a file without a final newline gets one before the appended line"() {
        given:
        def dir = ScratchDir.create('hostkeys')
        def file = dir.resolve('known_hosts')
        Files.writeString(file, "db1 ssh-ed25519 $A")

        when:
        HostKeys.load([file]).append('db2', 'ssh-ed25519', key(B), false)

        then:
        Files.readString(file) == "db1 ssh-ed25519 $A\ndb2 ssh-ed25519 $B\n"

        cleanup:
        ScratchDir.delete(dir)
    }

    def "the repository JSch asks refuses #verdict keys, says why with the fingerprint, and writes nothing"() {
        given:
        def dir = ScratchDir.create('hostkeys')
        def file = dir.resolve('known_hosts')
        Files.writeString(file, text)
        def check = new HostKeyCheck(HostKeys.load([file]), 'db1 (root@10.0.0.1:22)', accept, false)

        when:
        int code = check.check('10.0.0.1', key(A))

        then:
        code == jsch
        check.refusal().startsWith(message)
        check.refusal().contains('SHA256:ts5JU5dx6YLyD0sc25QYVM4DyPOIrbr106x7/d20HXw')
        Files.readString(file) == text

        cleanup:
        ScratchDir.delete(dir)

        where:
        verdict      | text                                  | accept | jsch                                      | message
        'unknown'    | ''                                    | false  | com.jcraft.jsch.HostKeyRepository.NOT_INCLUDED | 'host key of db1 (root@10.0.0.1:22) is not known'
        'changed'    | "10.0.0.1 ssh-ed25519 $B\n"           | false  | com.jcraft.jsch.HostKeyRepository.CHANGED | 'HOST KEY CHANGED for db1 (root@10.0.0.1:22)'
        'changed'    | "10.0.0.1 ssh-ed25519 $B\n"           | true   | com.jcraft.jsch.HostKeyRepository.CHANGED | 'HOST KEY CHANGED for db1 (root@10.0.0.1:22)'
        'other-type' | "10.0.0.1 ecdsa-sha2-nistp256 $C\n"   | true   | com.jcraft.jsch.HostKeyRepository.CHANGED | 'host key of db1 (root@10.0.0.1:22) does not match'
        'revoked'    | "@revoked 10.0.0.1 ssh-ed25519 $A\n"  | true   | com.jcraft.jsch.HostKeyRepository.CHANGED | 'host key of db1 (root@10.0.0.1:22) (ssh-ed25519'
    }

    def "an unknown key is accepted only when asked, and then written"() {
        given:
        def dir = ScratchDir.create('hostkeys')
        def file = dir.resolve('known_hosts')
        def check = new HostKeyCheck(HostKeys.load([file]), 'db1', true, false)

        when:
        int code = check.check('10.0.0.1', key(A))

        then:
        code == com.jcraft.jsch.HostKeyRepository.OK
        check.refusal() == null
        Files.readString(file) == "10.0.0.1 ssh-ed25519 $A\n"
        check.accepted().contains('SHA256:ts5JU5dx6YLyD0sc25QYVM4DyPOIrbr106x7/d20HXw')

        cleanup:
        ScratchDir.delete(dir)
    }
}
