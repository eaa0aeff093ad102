package com.zed.zfs

import com.zed.exec.CommandRunner
import com.zed.exec.Execution

import java.nio.charset.StandardCharsets

/**
 * Answers each zfs command with what real OpenZFS printed for it (recorded fixtures), chosen by a
 * closure over the argument array; records every command so specs can count processes.
 */
class ReplayRunner implements CommandRunner {
    final List<List<String>> commands = []
    /** argv -> [exit: int, out: String, err: String]; null means "not recorded": the spec fails. */
    Closure<Map> answer

    @Override
    Execution start(List<String> argv) {
        commands << List.copyOf(argv)
        Map a = answer(argv)
        assert a != null, "no recorded answer for ${argv}"
        def out = new ByteArrayInputStream(((a.out ?: '') as String).getBytes(StandardCharsets.UTF_8))
        def err = new ByteArrayInputStream(((a.err ?: '') as String).getBytes(StandardCharsets.UTF_8))
        int code = (a.exit ?: 0) as int
        new Execution() {
            OutputStream stdin() { OutputStream.nullOutputStream() }
            InputStream stdout() { out }
            InputStream stderr() { err }
            int waitFor() { code }
            void kill() {}
            void close() {}
        }
    }

    @Override
    String describe() { 'replay' }
}
