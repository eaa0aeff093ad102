package com.zed.support

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * `zed` as its own process, on this build's classes: for specs that must kill it, or hand it an
 * environment (secrets are read from zed's own environment, which a spec cannot set in-process).
 */
final class ZedProcess {
    private ZedProcess() {
    }

    static Map run(Map env, String... args) {
        def cmd = [Path.of(System.getProperty('java.home'), 'bin', 'java').toString(), '-cp', System.getProperty('java.class.path'),
                   'com.zed.cli.Main'] + args.toList()
        def pb = new ProcessBuilder(cmd)
        env.each { k, v -> pb.environment().put(k.toString(), v.toString()) }
        pb.redirectErrorStream(true)
        def p = pb.start()
        def out = new StringBuilder()
        def reader = Thread.start { p.inputStream.eachLine { out.append(it).append('\n') } }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            throw new IllegalStateException("zed ${args} did not end:\n$out")
        }
        reader.join()
        [code: p.exitValue(), out: out.toString()]
    }
}
