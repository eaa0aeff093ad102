package com.zed.support

import com.zed.cli.Lab
import com.zed.exec.CommandResult
import com.zed.exec.SshRunner
import com.zed.zfs.ZfsCli
import groovy.transform.CompileStatic

/**
 * One SSH session to the lab VM, shared by every live spec in the JVM (connecting costs ~1 s,
 * a command on an open session ~0.1–0.3 s). Records each command's latency for the report.
 */
@CompileStatic
final class LiveLab {
    private static SshRunner runner
    private static ZfsCli zfs
    static final List<CommandResult> commands = Collections.synchronizedList([])

    /** Null when the lab can be used, else why not. */
    static String whyNot() {
        Lab.whyNot()
    }

    static synchronized SshRunner runner() {
        if (runner == null) {
            runner = new SshRunner(Lab.target().orElseThrow { new IllegalStateException(Lab.whyNot()) })
            Runtime.runtime.addShutdownHook(new Thread({ runner.close() } as Runnable))
        }
        runner
    }

    static synchronized ZfsCli zfs() {
        if (zfs == null) {
            zfs = new ZfsCli(runner(), 'zfs', { CommandResult r -> commands.add(r) })
        }
        zfs
    }

    static List<String> pools() {
        (System.getenv('ZED_LAB_POOLS') ?: 'jeff backup').tokenize(' ')
    }
}
