package com.zed.support

import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

/**
 * Specs must not delete through links: no Spock @TempDir, no File.deleteDir() (both follow links
 * to directories — one emptied the host's /etc). ScratchDir is the way.
 */
class SpecHygieneSpec extends Specification {

    def "no spec uses a recursive delete that follows links"() {
        given:
        def root = Path.of(System.getProperty('zed.repo', '..'), 'spec', 'src', 'test').toAbsolutePath().normalize()
        def offenders = []
        Files.walk(root).withCloseable { s ->
            s.filter { it.toString().endsWith('.groovy') && it.fileName.toString() != 'SpecHygieneSpec.groovy' }.each { Path f ->
                Files.readAllLines(f).eachWithIndex { String line, int i ->
                    boolean comment = line.trim().startsWith('*') || line.trim().startsWith('//')
                    if (!comment && line =~ /import spock\.lang\.TempDir|@TempDir\b|\.deleteDir\(\)|deleteDirectory\(/) {
                        offenders << "${root.relativize(f)}:${i + 1}: ${line.trim()}"
                    }
                }
            }
        }

        expect:
        offenders == []
    }

    def "a scratch directory is deleted with its links, never what they point to"() {
        given:
        def outside = ScratchDir.create('outside')
        Files.writeString(outside.resolve('keep'), 'kept')
        def dir = ScratchDir.create('links')
        Files.createDirectories(dir.resolve('a/b'))
        Files.createSymbolicLink(dir.resolve('a/out'), outside)
        Files.createSymbolicLink(dir.resolve('a/b/up'), dir)

        when:
        ScratchDir.delete(dir)

        then:
        !Files.exists(dir)
        Files.readString(outside.resolve('keep')) == 'kept'

        cleanup:
        ScratchDir.delete(outside)
    }

    def "paths that are not scratch directories are refused"() {
        when:
        ScratchDir.delete(Path.of(path))

        then:
        thrown(IllegalArgumentException)
        Files.exists(Path.of('/etc/passwd'))

        where:
        path << ['/etc', '/', System.getProperty('java.io.tmpdir'), System.getProperty('java.io.tmpdir') + '/zed-spec-x/../..']
    }
}
