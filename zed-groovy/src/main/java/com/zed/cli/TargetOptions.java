package com.zed.cli;

import com.zed.exec.CommandRunner;
import com.zed.exec.Connector;
import com.zed.exec.LocalRunner;
import com.zed.exec.SshRunner;
import com.zed.exec.SshTarget;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

/** Where commands run and health checks connect from: this host (default), the lab VM, or a host over SSH. */
public final class TargetOptions {

    @Option(names = "--lab", description = "Run ZFS commands in the lab VM started by scripts/lab up.")
    boolean lab;

    @Option(names = "--ssh", paramLabel = "USER@HOST[:PORT]",
            description = "Run ZFS commands on this host over SSH (host key must be in --known-hosts).")
    String ssh;

    @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (default: ~/.ssh/id_ed25519).")
    Path identity;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default: ~/.ssh/known_hosts).")
    Path knownHosts;


    /**
     * Opens connections from the target's side: through the SSH session for {@code --lab} and
     * {@code --ssh}, directly for a local target. The same as {@code runner.connector()}.
     */
    static Connector connector(CommandRunner runner) {
        return runner.connector();
    }

    /** The target options as a user types them again, for printed commands (ends with a space when any). */
    String describe() {
        if (lab) {
            return "--lab ";
        }
        return ssh != null ? "--ssh " + ssh + " " : "";
    }

    /** Was a single target named (--lab or --ssh)? */
    boolean explicit() {
        return lab || ssh != null;
    }

    /** A runner for one cluster host, reached as its {@code ssh:} says. */
    CommandRunner host(String target, picocli.CommandLine cmd) {
        return new SshRunner(parse(cmd, target.contains("@") ? target : System.getProperty("user.name") + "@" + target));
    }

    CommandRunner runner(picocli.CommandLine cmd) {
        if (lab && ssh != null) {
            throw new ParameterException(cmd, "--lab and --ssh are alternatives; give one");
        }
        if (lab) {
            return new SshRunner(Lab.target().orElseThrow(() -> new ParameterException(cmd, Lab.whyNot())));
        }
        if (ssh != null) {
            return new SshRunner(parse(cmd, ssh));
        }
        return new LocalRunner();
    }

    private SshTarget parse(picocli.CommandLine cmd, String spec) {
        var m = java.util.regex.Pattern.compile("([A-Za-z0-9._-]+)@([A-Za-z0-9.:_-]+?)(?::(\\d+))?").matcher(spec);
        if (!m.matches()) {
            throw new ParameterException(cmd, "--ssh wants USER@HOST[:PORT], not '" + spec + "'");
        }
        Path home = Path.of(System.getProperty("user.home"), ".ssh");
        return new SshTarget(m.group(1), m.group(2), m.group(3) == null ? 22 : Integer.parseInt(m.group(3)),
                identity != null ? identity : home.resolve("id_ed25519"),
                knownHosts != null ? knownHosts : home.resolve("known_hosts"));
    }
}
