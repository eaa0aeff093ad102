package com.zed.support

import groovy.transform.CompileStatic

/** Outputs recorded from real OpenZFS in the lab (scripts/lab.d/capture-fixtures). */
@CompileStatic
final class Fixtures {
    static final List<String> VERSIONS = ['2.1', '2.3']

    static String text(String version, String file) {
        def url = Fixtures.getResource("/fixtures/zfs-$version/$file")
        assert url != null, "missing fixture zfs-$version/$file — capture it with scripts/lab.d/capture-fixtures"
        url.getText('UTF-8')
    }

    /** An err-*.txt fixture: stderr as zfs printed it, and its exit code. */
    static Map<String, Object> error(String version, String name) {
        def lines = text(version, "err-${name}.txt").readLines()
        def last = lines.last()
        assert last.startsWith('exit=')
        [stderr: lines.dropRight(1).join('\n') + '\n', exit: last.substring(5) as int] as Map<String, Object>
    }
}
