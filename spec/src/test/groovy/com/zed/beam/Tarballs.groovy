package com.zed.beam

import org.apache.commons.compress.archivers.tar.TarArchiveEntry
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream
import org.apache.commons.compress.archivers.tar.TarConstants

import java.nio.charset.StandardCharsets
import java.util.zip.GZIPInputStream
import java.util.zip.GZIPOutputStream

/** Hand-made release tarballs, hostile ones included, built in memory. */
class Tarballs {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream()
    private final TarArchiveOutputStream tar

    private Tarballs() {
        tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes), 'UTF-8')
        tar.longFileMode = TarArchiveOutputStream.LONGFILE_GNU
        tar.bigNumberMode = TarArchiveOutputStream.BIGNUMBER_POSIX
    }

    /** A gzip-compressed tar made by the closure (delegate: this builder). */
    static byte[] tgz(@DelegatesTo(Tarballs) Closure c) {
        def t = new Tarballs()
        c.delegate = t
        c.resolveStrategy = Closure.DELEGATE_FIRST
        c()
        t.tar.finish()
        t.tar.close()
        t.bytes.toByteArray()
    }

    /** Entry names are taken verbatim (preserveAbsolutePath), so '/etc/x' and '../x' reach the archive as written. */
    private TarArchiveEntry entry(String name, byte flag, int mode, int uid = 1000) {
        def e = new TarArchiveEntry(name, flag, true)
        e.mode = mode
        e.setIds(uid, uid)
        e.userName = 'builder'
        e.groupName = 'builder'
        e
    }

    void file(String name, String content = 'x', int mode = 0644, int uid = 1000) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8)
        def e = entry(name, TarConstants.LF_NORMAL, mode, uid)
        e.size = b.length
        tar.putArchiveEntry(e)
        tar.write(b)
        tar.closeArchiveEntry()
    }

    void dir(String name, int mode = 0755) {
        tar.putArchiveEntry(entry(name.endsWith('/') ? name : name + '/', TarConstants.LF_DIR, mode))
        tar.closeArchiveEntry()
    }

    void symlink(String name, String target) {
        def e = entry(name, TarConstants.LF_SYMLINK, 0777)
        e.linkName = target
        tar.putArchiveEntry(e)
        tar.closeArchiveEntry()
    }

    void hardlink(String name, String target) {
        def e = entry(name, TarConstants.LF_LINK, 0644)
        e.linkName = target
        tar.putArchiveEntry(e)
        tar.closeArchiveEntry()
    }

    void special(String name, byte flag) {
        def e = entry(name, flag, 0666)
        e.devMajor = 1
        e.devMinor = 3
        tar.putArchiveEntry(e)
        tar.closeArchiveEntry()
    }

    /** What a gzip tar holds: name -> [type, mode, uid, gid, user, group, link, content], in archive order. */
    static LinkedHashMap<String, Map> read(byte[] tgz) {
        def out = new LinkedHashMap<String, Map>()
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tgz)), 'UTF-8').withCloseable { tin ->
            TarArchiveEntry e
            while ((e = tin.nextEntry) != null) {
                String type = e.directory ? 'dir' : e.symbolicLink ? 'symlink' : e.link ? 'hardlink' : 'file'
                out[e.name] = [type: type, mode: e.mode & 07777, uid: e.longUserId, gid: e.longGroupId, user: e.userName,
                               group: e.groupName, link: e.linkName ?: null,
                               content: type == 'file' ? new String(tin.readAllBytes(), StandardCharsets.UTF_8) : null]
            }
        }
        out
    }
}
