package com.zed.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The {@code zed} command. */
@Command(name = "zed", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Deploy BEAM applications onto ZFS.",
        footer = {"", "Exit codes: 0 ok or no changes; 1 error; 2 changes pending (diff --detailed-exitcode);",
                "3 apply failed and was rolled back; 4 replication refused; 64 usage error."},
        subcommands = {RunCommand.class, DiffCommand.class, ValidateCommand.class, RollbackCommand.class, RecoverCommand.class,
                StatusCommand.class, HistoryCommand.class, SelftestCommand.class, ManCommand.class, DiscoverCommand.class,
                ReplicateCommand.class,
                picocli.AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit codes a CI can act on. */
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int CHANGES = 2;
    public static final int ROLLED_BACK = 3;
    public static final int USAGE = 64;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        var cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> ERROR);
        cl.setParameterExceptionHandler((ex, a) -> {
            var err = ex.getCommandLine().getErr();
            err.println("zed: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("zed: " + ex.getMessage());
            return ERROR;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            var p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/zed-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"zed " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
