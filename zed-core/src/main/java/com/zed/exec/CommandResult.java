package com.zed.exec;

import java.time.Duration;
import java.util.List;

/** The outcome of a finished command. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr, Duration elapsed) {

    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean ok() {
        return exitCode == 0;
    }
}
