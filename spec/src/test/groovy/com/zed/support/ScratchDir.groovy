package com.zed.support

import groovy.transform.CompileStatic

import java.nio.file.FileVisitResult
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path
import java.nio.file.SimpleFileVisitor
import java.nio.file.attribute.BasicFileAttributes

/**
 * Temporary directories for specs, deleted without ever following a link. Spock's @TempDir and
 * Groovy's File.deleteDir() follow symbolic links to directories: a spec that made a link to /etc in
 * one emptied the host's /etc. Deletion here refuses any path outside java.io.tmpdir or not made
 * by {@link #create}, and removes links as links.
 */
@CompileStatic
final class ScratchDir {
    static final String PREFIX = 'zed-spec-'

    private ScratchDir() {
    }

    static Path create(String name = 'tmp') {
        Files.createTempDirectory(PREFIX + name + '-')
    }

    static void delete(Path dir) {
        walk(scratch(dir))
    }

    /** Deletes {@code sub}, which must lie inside the scratch directory {@code dir}, without following links. */
    static void deleteUnder(Path dir, Path sub) {
        Path top = scratch(dir)
        Path abs = sub.toAbsolutePath().normalize()
        if (!abs.startsWith(top) || abs == top) {
            throw new IllegalArgumentException("refusing to delete $sub: not inside $dir")
        }
        walk(abs)
    }

    private static Path scratch(Path dir) {
        Path tmp = Path.of(System.getProperty('java.io.tmpdir')).toRealPath()
        Path abs = dir.toAbsolutePath().normalize()
        if (!abs.startsWith(tmp) || abs.parent != tmp || !abs.fileName.toString().startsWith(PREFIX)) {
            throw new IllegalArgumentException("refusing to delete $dir: not a scratch directory of ${tmp}/${PREFIX}*")
        }
        abs
    }

    private static void walk(Path abs) {
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(abs)) {
            Files.deleteIfExists(abs)
            return
        }
        Files.walkFileTree(abs, new SimpleFileVisitor<Path>() {
            @Override
            FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                Files.delete(f) // a link is visited as itself: walkFileTree does not follow links unless told to
                FileVisitResult.CONTINUE
            }

            @Override
            FileVisitResult postVisitDirectory(Path d, IOException e) {
                if (e != null) {
                    throw e
                }
                Files.delete(d)
                FileVisitResult.CONTINUE
            }
        })
    }
}
