package com.zed.exec;

/** The program named by {@code argv[0]} does not exist where the runner runs it. */
public class CommandNotFoundException extends RuntimeException {
    private final String program;

    public CommandNotFoundException(String program, String where, Throwable cause) {
        super(program + ": command not found on " + where, cause);
        this.program = program;
    }

    public String program() {
        return program;
    }
}
