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

    /**
     * The command line: this JVM's java, the JIT and GC settings of scripts/zed (C1 only, serial GC: a
     * short CLI run, and far less CPU taken from the lab VMs beside it), this build's classes.
     */
    static List<String> command(List<String> args) {
        [Path.of(System.getProperty('java.home'), 'bin', 'java').toString(), '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC',
         '-cp', System.getProperty('java.class.path'), 'com.zed.cli.Main'] + args
    }

    static Map run(Map env, String... args) {
        def pb = new ProcessBuilder(command(args.toList()))
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
