package com.zed.secret

import com.zed.model.SecretRef
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/** env/file secrets: values resolved, errors naming the reference, and the value never printed. */
class SecretsSpec extends Specification {

    Path dir = com.zed.support.ScratchDir.create('secrets')

    def cleanup() {
        com.zed.support.ScratchDir.delete(dir)
    }
    String value = 'v-' + UUID.randomUUID()

    Path secretFile(String content, String mode = 'rw-------') {
        def f = dir.resolve('secret-' + UUID.randomUUID())
        Files.writeString(f, content)
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode))
        f
    }

    def "env: the variable's value"() {
        when:
        def s = Secrets.resolve(new SecretRef.Env('RELEASE_COOKIE'), [RELEASE_COOKIE: value])

        then:
        s.reveal() == value
        s.warnings().isEmpty()
        s.toString() == 'Secret[env(RELEASE_COOKIE)]'
    }

    def "env: #why is an error naming the variable, never a value"() {
        when:
        Secrets.resolve(new SecretRef.Env('RELEASE_COOKIE'), env)

        then:
        def e = thrown(SecretException)
        e.message == message
        e.ref() == new SecretRef.Env('RELEASE_COOKIE')

        where:
        env                                || why     | message
        [:]                                || 'unset' | 'env(RELEASE_COOKIE): environment variable RELEASE_COOKIE is not set'
        [RELEASE_COOKIE: '']               || 'empty' | 'env(RELEASE_COOKIE): environment variable RELEASE_COOKIE is empty'
        [OTHER: 'zzz']                     || 'other' | 'env(RELEASE_COOKIE): environment variable RELEASE_COOKIE is not set'
    }

    def "file: content #content.inspect() reads as the value with one trailing newline stripped"() {
        given:
        def f = secretFile(content.replace('V', value))

        expect:
        Secrets.resolve(new SecretRef.File(f.toString())).reveal() == expected.replace('V', value)

        where:
        content      || expected
        'V'          || 'V'
        'V\n'        || 'V'
        'V\r\n'      || 'V'
        'V\n\n'      || 'V\n'
        ' V \n'      || ' V '
    }

    def "file: #why is an error naming the path"() {
        given:
        def path = setup(this)

        when:
        Secrets.resolve(new SecretRef.File(path.toString()))

        then:
        def e = thrown(SecretException)
        e.message == "file(${path}): " + message.replace('PATH', path.toString())

        where:
        why         | setup                                                        || message
        'missing'   | { SecretsSpec s -> s.dir.resolve('nope') }                   || 'file PATH does not exist'
        'directory' | { SecretsSpec s -> s.dir }                                   || 'PATH is not a regular file'
        'empty'     | { SecretsSpec s -> s.secretFile('') }                        || 'file PATH is empty'
        'newline'   | { SecretsSpec s -> s.secretFile('\n') }                      || 'file PATH is empty'
        'binary'    | { SecretsSpec s -> def f = s.dir.resolve('bin'); Files.write(f, [0xff, 0xfe] as byte[]); f } || 'file PATH is not UTF-8 text'
        'too big'   | { SecretsSpec s -> s.secretFile('x' * 70_000) }              || 'file PATH is larger than 65536 bytes; not a secret file?'
    }

    def "file: unreadable is an error (when not running as root, who reads anything)"() {
        given:
        def f = secretFile(value, '---------')
        def readable = Files.isReadable(f)

        when:
        def r = null
        try { r = Secrets.resolve(new SecretRef.File(f.toString())) } catch (SecretException e) { r = e }

        then:
        readable ? r instanceof Secret : r.message == "file(${f}): file ${f} is not readable (permission denied)"
    }

    def "file readable by group/others: resolved with a warning, or refused under STRICT; the warning has no value"() {
        given:
        def f = secretFile(value, 'rw-r--r--')
        def ref = new SecretRef.File(f.toString())

        when:
        def s = Secrets.resolve(ref)

        then:
        s.reveal() == value
        s.warnings() == ["file(${f}): file ${f} is accessible by group/others (mode rw-r--r--); chmod 600 it".toString()]

        when:
        Secrets.resolve(ref, [:], Secrets.Policy.STRICT)

        then:
        def e = thrown(SecretException)
        e.message.contains('accessible by group/others')
    }

    def "the value never shows in toString, warnings or errors, whatever the source (random value)"() {
        given:
        def f = secretFile(value + '\n', 'rw-rw-rw-')
        def secrets = [Secrets.resolve(new SecretRef.Env('X'), [X: value]), Secrets.resolve(new SecretRef.File(f.toString()))]

        expect:
        secrets.every { it.reveal() == value }
        secrets.every { !it.toString().contains(value) && !"$it".contains(value) }
        secrets.every { s -> s.warnings().every { !it.contains(value) } }
        !secrets.toString().contains(value)
        !new com.zed.beam.BeamTarget('a@h', secrets[0], 'h', 4369).toString().contains(value)
    }
}
