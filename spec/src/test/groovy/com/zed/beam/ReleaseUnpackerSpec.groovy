package com.zed.beam

import com.zed.beam.UnsafeReleaseException.Problem
import com.zed.exec.LocalRunner
import com.zed.support.RecordingRunner
import org.apache.commons.compress.archivers.tar.TarConstants
import spock.lang.Requires
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

import static com.zed.beam.Tarballs.tgz

/** ReleaseUnpacker: every entry checked before a byte is sent; what is sent is a sanitized copy. */
class ReleaseUnpackerSpec extends Specification {
    Path tmp = com.zed.support.ScratchDir.create('unpacker')

    def cleanup() {
        com.zed.support.ScratchDir.delete(tmp)
    }

    static byte[] good() {
        tgz {
            file './bin/tiny', '#!/bin/sh\necho tiny', 0775
            file 'releases/1.0.1/env.sh', 'x=1', 0664
            file 'releases/COOKIE', 'cookie', 0600
            file 'lib/tiny-1.0.1/ebin/tiny.beam', 'beam', 0644
            file 'erts-13.1.5/bin/suid', 'suid', 04755, 0
            dir 'tmp', 01777
            dir 'lib/sgid', 02775
            symlink 'bin/erl', '../erts-13.1.5/bin/suid'
            symlink 'lib/self', '.'
            hardlink 'releases/start_erl.data', 'releases/COOKIE'
            file 'lib/' + 'long/' * 30 + 'name.beam', 'long', 0644
        }
    }

    ReleaseUnpacker.Plan check(byte[] tgz) {
        ReleaseUnpacker.check(new ByteArrayInputStream(tgz), 'hostile.tar.gz')
    }

    def "a plain release passes: modes normalized, special bits noted, links kept"() {
        when:
        def plan = check(good())
        def byName = plan.entries().collectEntries { [(it.name()): it] }

        then:
        byName['bin/tiny'].mode() == 0755
        byName['releases/1.0.1/env.sh'].mode() == 0644
        byName['releases/COOKIE'].mode() == 0644
        byName['erts-13.1.5/bin/suid'].mode() == 0755
        byName['tmp'].mode() == 0755
        byName['bin/erl'].link() == '../erts-13.1.5/bin/suid'
        byName['releases/start_erl.data'].kind() == ReleaseUnpacker.Kind.HARDLINK
        byName.containsKey('lib/' + 'long/' * 30 + 'name.beam')
        plan.stripped() as Set == ['erts-13.1.5/bin/suid', 'tmp', 'lib/sgid'] as Set
        plan.count(ReleaseUnpacker.Kind.FILE) == 6
    }

    def "the copy sent is owned by root, 755/644 without special bits, each directory before its children"() {
        given:
        def plan = check(good())
        def out = new ByteArrayOutputStream()

        when:
        ReleaseUnpacker.writeSanitized(new ByteArrayInputStream(good()), plan, 'good.tar.gz', out)
        def sent = Tarballs.read(out.toByteArray())

        then:
        sent.values().every { it.uid == 0 && it.gid == 0 && it.user == 'root' && it.group == 'root' }
        sent.findAll { it.value.type != 'symlink' }.values().every { (it.mode & 07022) == 0 }
        sent['bin/'].type == 'dir' && sent['bin/'].mode == 0755
        sent['bin/tiny'].mode == 0755 && sent['bin/tiny'].content == '#!/bin/sh\necho tiny'
        sent['releases/COOKIE'].mode == 0644
        sent['erts-13.1.5/bin/suid'].mode == 0755
        sent['tmp/'].mode == 0755
        sent['lib/sgid/'].mode == 0755
        sent['bin/erl'].link == '../erts-13.1.5/bin/suid'
        sent['releases/start_erl.data'] == [type: 'hardlink', mode: 0644, uid: 0, gid: 0, user: 'root', group: 'root',
                                            link: 'releases/COOKIE', content: null]
        sent['lib/' + 'long/' * 30 + 'name.beam'].content == 'long'
        !sent.keySet().any { it.startsWith('./') || it.startsWith('/') }

        and: 'every directory comes before anything in it'
        def names = sent.keySet() as List
        names.every { n ->
            def parts = n.split('/')
            (1..<parts.length).every { i -> names.indexOf(parts[0..<i].join('/') + '/') in 0..<names.indexOf(n) }
        }
    }

    def "refused: #what"() {
        when:
        check(tgz(archive))

        then:
        def e = thrown(UnsafeReleaseException)
        e.problem() == problem
        e.entry() == entry
        e.reason() == ReleaseException.Reason.UNSAFE_CONTENT
        e.message.startsWith("hostile.tar.gz: entry '${entry}' ")
        e.message.endsWith('refused, nothing was unpacked')

        where:
        what                                   | problem                     | entry              | archive
        'an absolute path'                     | Problem.ABSOLUTE_PATH       | '/etc/cron.d/x'    | { file 'bin/ok'; file '/etc/cron.d/x' }
        'a .. component'                       | Problem.PARENT_COMPONENT    | '../x'             | { file '../x' }
        'a .. deeper in'                       | Problem.PARENT_COMPONENT    | 'lib/../../x'      | { file 'lib/../../x' }
        'a .. in a GNU long name'              | Problem.PARENT_COMPONENT    | 'a/' * 60 + '../' * 61 + 'x' | { file('a/' * 60 + '../' * 61 + 'x') }
        'a character device'                   | Problem.DEVICE              | 'dev/null'         | { special 'dev/null', TarConstants.LF_CHR }
        'a block device'                       | Problem.DEVICE              | 'sda'              | { special 'sda', TarConstants.LF_BLK }
        'a FIFO'                               | Problem.FIFO                | 'pipe'             | { special 'pipe', TarConstants.LF_FIFO }
        'an unknown entry type'                | Problem.UNSUPPORTED_TYPE    | 'vol'              | { special 'vol', (byte) 'V' }
        'a symlink to an absolute path'        | Problem.LINK_OUTSIDE        | 'bin/sh'           | { symlink 'bin/sh', '/bin/sh' }
        'a symlink up and out'                 | Problem.LINK_OUTSIDE        | 'lib/out'          | { symlink 'lib/out', '../../etc' }
        'a symlink out through another one'    | Problem.LINK_OUTSIDE        | 'b'                | { symlink 'a', '.'; symlink 'b', 'a/..' }
        'a symlink whose link comes later'     | Problem.LINK_OUTSIDE        | 'x/up'             | { symlink 'x/up', '../d/..'; symlink 'd', '.' }
        'an empty symlink'                     | Problem.LINK_OUTSIDE        | 'empty'            | { symlink 'empty', '' }
        'a symlink loop'                       | Problem.LINK_LOOP           | 'a'                | { symlink 'a', 'b'; symlink 'b', 'a' }
        'a hard link to an absolute path'      | Problem.LINK_OUTSIDE        | 'shadow'           | { hardlink 'shadow', '/etc/shadow' }
        'a hard link up and out'               | Problem.LINK_OUTSIDE        | 'passwd'           | { hardlink 'passwd', '../../etc/passwd' }
        'a hard link to nothing in the archive'| Problem.LINK_TARGET         | 'h'                | { hardlink 'h', 'etc/passwd' }
        'a hard link to a later file'          | Problem.LINK_TARGET         | 'h'                | { hardlink 'h', 'f'; file 'f' }
        'a hard link to a symlink'             | Problem.LINK_TARGET         | 'h'                | { symlink 's', 'f'; file 'f'; hardlink 'h', 's' }
        'a file written through a symlink'     | Problem.THROUGH_LINK        | 'lnk/f'            | { symlink 'lnk', 'sub'; file 'lnk/f' }
        'a file written below a file'          | Problem.THROUGH_LINK        | 'f/g'              | { file 'f'; file 'f/g' }
        'a file replacing a checked symlink'   | Problem.DUPLICATE           | 'bin/erl'          | { file 'bin/erl'; symlink 'bin/erl', 'tiny' }
        'a newline in a name'                  | Problem.BAD_NAME            | 'a\\x0ab'          | { file 'a\nb' }
        'a file as the release root'           | Problem.BAD_NAME            | '.'                | { file '.', '' }
    }

    def "an archive that is not a gzip tar is refused as a whole"() {
        when:
        check('not a tarball at all'.bytes)

        then:
        def e = thrown(UnsafeReleaseException)
        e.problem() == Problem.NOT_A_TARBALL
        e.entry() == null
        e.message.startsWith('hostile.tar.gz: is not a readable gzip-compressed tar archive')
    }

    def "a repeated directory and ./ prefixes are fine"() {
        expect:
        check(tgz { dir 'lib'; file './lib/a'; dir './lib/'; file 'lib/b' }).entries()*.name() == ['lib', 'lib/a', 'lib/b']
    }

    def "a refused release sends nothing to the target: not even the directory is made"() {
        given:
        def tarball = tmp.resolve('tiny-6.6.6.tar.gz')
        Files.write(tarball, tgz { file 'bin/tiny'; special 'dev/mem', TarConstants.LF_CHR })
        def runner = new RecordingRunner()

        when:
        ReleaseUnpacker.unpack(runner, new Release('tiny', '6.6.6', tarball, 'x' * 64, Files.size(tarball)), '/jeff/apps/tiny/releases/6.6.6')

        then:
        def e = thrown(UnsafeReleaseException)
        e.message == "tiny 6.6.6: tiny-6.6.6.tar.gz: entry 'dev/mem' is a device node; refused, nothing was unpacked"
        e.app() == 'tiny' && e.version() == '6.6.6' && e.path() == tarball
        runner.commands.isEmpty()
    }

    def "a good release is made into the directory, then streamed to tar -x that takes no owners from it"() {
        given:
        def tarball = tmp.resolve('tiny-1.0.1.tar.gz')
        Files.write(tarball, good())
        def runner = new RecordingRunner()

        when:
        def plan = ReleaseUnpacker.unpack(runner, new Release('tiny', '1.0.1', tarball, 'x' * 64, Files.size(tarball)), '/jeff/apps/tiny/releases/1.0.1')

        then:
        runner.commands == [['install', '-d', '-m', '755', '/jeff/apps/tiny/releases/1.0.1'],
                            ['tar', '-x', '-z', '-f', '-', '--no-same-owner', '--same-permissions', '-C', '/jeff/apps/tiny/releases/1.0.1']]
        plan.entries().size() == 11
    }

    @Requires({ new File('/usr/bin/tar').canExecute() || new File('/bin/tar').canExecute() })
    def "GNU tar unpacks the sanitized copy as checked (local tar, into a temp dir)"() {
        given:
        def tarball = tmp.resolve('tiny-1.0.1.tar.gz')
        Files.write(tarball, good())
        def dir = tmp.resolve('releases/1.0.1')

        when:
        ReleaseUnpacker.unpack(new LocalRunner(), new Release('tiny', '1.0.1', tarball, 'x' * 64, Files.size(tarball)), dir.toString())

        then:
        perms(dir.resolve('bin/tiny')) == 'rwxr-xr-x'
        perms(dir.resolve('releases/COOKIE')) == 'rw-r--r--'
        perms(dir.resolve('erts-13.1.5/bin/suid')) == 'rwxr-xr-x'
        perms(dir.resolve('tmp')) == 'rwxr-xr-x'
        perms(dir.resolve('lib/sgid')) == 'rwxr-xr-x'
        perms(dir.resolve('lib/tiny-1.0.1')) == 'rwxr-xr-x'
        Files.readSymbolicLink(dir.resolve('bin/erl')).toString() == '../erts-13.1.5/bin/suid'
        Files.getAttribute(dir.resolve('releases/start_erl.data'), 'unix:ino') == Files.getAttribute(dir.resolve('releases/COOKIE'), 'unix:ino')
        Files.readString(dir.resolve('bin/tiny')) == '#!/bin/sh\necho tiny'
        // as root, --no-same-owner makes root the owner; as anyone else, that user
        Files.getAttribute(dir.resolve('bin/tiny'), 'unix:uid') == Files.getAttribute(tmp, 'unix:uid')
        ((Files.getAttribute(dir.resolve('erts-13.1.5/bin/suid'), 'unix:mode') as int) & 07000) == 0

        cleanup: 'ourselves, never following a link (lib/self points at its own directory)'
        com.zed.support.ScratchDir.deleteUnder(tmp, tmp.resolve('releases'))
    }


    static String perms(Path p) {
        PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
    }
}
