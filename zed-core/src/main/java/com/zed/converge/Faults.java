package com.zed.converge;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fault injection for the crash-matrix specs: with {@code ZED_FAULT=<phase>:<kill|term|cut>[:<ms>]}
 * in its environment, zed hurts itself when a journal phase starting with {@code <phase>} begins
 * (after {@code <ms>}, to land inside a long step): {@code kill} sends itself SIGKILL, {@code term}
 * SIGTERM, {@code cut} drops its SSH connection. Once per process. Without the variable it does
 * nothing: production runs never set it.
 */
public final class Faults {
    private static final String SPEC = System.getenv("ZED_FAULT");
    private static final AtomicBoolean FIRED = new AtomicBoolean();
    private static volatile Runnable cut = () -> { };

    private Faults() {
    }

    /** What {@code cut} does: the CLI registers dropping its SSH session here. */
    public static void onCut(Runnable r) {
        cut = r;
    }

    static void at(String phase) {
        if (SPEC == null || SPEC.isBlank()) {
            return;
        }
        String[] f = SPEC.split(":");
        if (f.length < 2 || !phase.startsWith(f[0]) || !FIRED.compareAndSet(false, true)) {
            return;
        }
        long delay = f.length > 2 ? Long.parseLong(f[2]) : 0;
        Runnable hurt = () -> {
            switch (f[1]) {
                case "kill" -> signal("KILL");
                case "term" -> signal("TERM");
                case "cut" -> cut.run();
                default -> throw new IllegalArgumentException("ZED_FAULT kind must be kill, term or cut: " + SPEC);
            }
        };
        if (delay == 0) {
            hurt.run();
            if (f[1].equals("kill")) {
                sleepQuietly(10_000); // SIGKILL arrives meanwhile: nothing after this point runs
            }
        } else {
            Thread t = new Thread(() -> {
                sleepQuietly(delay);
                hurt.run();
            }, "zed-fault");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void signal(String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
        } catch (Exception e) {
            Runtime.getRuntime().halt(137);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
