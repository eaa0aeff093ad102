package com.zed.support

import com.zed.exec.CommandRunner
import com.zed.exec.Execution

import java.nio.charset.StandardCharsets

/**
 * Records the argument arrays a component builds and answers with canned output. Used only to
 * check command construction; what zfs does with those commands is proven by the *LiveSpecs.
 */
class RecordingRunner implements CommandRunner {
    final List<List<String>> commands = []
    String stdout = ''
    String stderr = ''
    int exit = 0

    @Override
    Execution start(List<String> argv) {
        commands << List.copyOf(argv)
        def out = new ByteArrayInputStream(stdout.getBytes(StandardCharsets.UTF_8))
        def err = new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8))
        int code = exit
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
    String describe() { 'recording' }
}
