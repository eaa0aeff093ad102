package com.zed.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;

/** Prints zed(1) in roff, generated from the same picocli model as --help: they cannot drift apart. */
@Command(name = "man", mixinStandardHelpOptions = true, description = "Print the zed(1) man page (roff).")
final class ManCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandSpec root = spec.root();
        PrintWriter out = spec.commandLine().getOut();
        String version = root.version().length > 0 ? root.version()[0] : "zed";
        out.printf(".TH ZED 1 \"%s\" \"%s\" \"Zed Manual\"%n", LocalDate.now(), esc(version));
        out.println(".SH NAME");
        out.println("zed \\- " + esc(String.join(" ", root.usageMessage().description())));
        out.println(".SH SYNOPSIS");
        out.println(".B zed");
        out.println("[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]");
        out.println(".SH OPTIONS");
        options(out, root);
        out.println(".SH COMMANDS");
        root.subcommands().forEach((name, sub) -> {
            CommandSpec c = sub.getCommandSpec();
            if (name.equals("help") || c.usageMessage().hidden()) {
                return;
            }
            out.println(".SS \"zed " + esc(name) + synopsis(c) + "\"");
            for (String line : c.usageMessage().description()) {
                out.println(esc(line));
            }
            options(out, c);
        });
        out.println(".SH \"EXIT STATUS\"");
        for (String line : root.usageMessage().footer()) {
            if (!line.isBlank()) {
                out.println(esc(line));
            }
        }
        out.println(".SH \"SEE ALSO\"");
        out.println("docs/cli.md, docs/dsl.md, docs/guide.md in the Zed source tree.");
        out.flush();
        return Main.OK;
    }

    private static String synopsis(CommandSpec c) {
        var b = new StringBuilder();
        for (PositionalParamSpec p : c.positionalParameters()) {
            b.append(' ').append(p.paramLabel());
        }
        return b.toString();
    }

    private static void options(PrintWriter out, CommandSpec c) {
        for (PositionalParamSpec p : c.positionalParameters()) {
            out.println(".TP");
            out.println("\\fB" + esc(p.paramLabel()) + "\\fR");
            out.println(esc(String.join(" ", p.description())));
        }
        for (OptionSpec o : c.options()) {
            if (o.hidden()) {
                continue;
            }
            out.println(".TP");
            String label = o.arity().max() > 0 ? " \\fI" + esc(o.paramLabel()) + "\\fR" : "";
            out.println("\\fB" + esc(String.join(", ", o.names())) + "\\fR" + label);
            out.println(esc(String.join(" ", o.description()).replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()))));
        }
    }

    /** roff: backslashes and leading dots/quotes must not be read as requests. */
    static String esc(String s) {
        String e = s.replace("\\", "\\\\").replace("-", "\\-");
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }
}
