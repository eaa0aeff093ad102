package com.zed.cli;

import com.zed.exec.CommandRunner;
import com.zed.exec.LocalRunner;
import com.zed.exec.SshRunner;
import com.zed.exec.SshTarget;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

/** Where ZFS commands run: this host (default), the lab VM, or a host over SSH. */
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

    /** Where this host reaches the target's epmd: the lab's forwarded port, or the host's 4369. */
    java.net.InetSocketAddress epmd(picocli.CommandLine cmd) {
        if (lab) {
            return java.net.InetSocketAddress.createUnresolved("127.0.0.1", Lab.epmdPort()
                    .orElseThrow(() -> new ParameterException(cmd, "the lab forwards no epmd port; restart it with scripts/lab down && scripts/lab up")));
        }
        if (ssh != null) {
            return java.net.InetSocketAddress.createUnresolved(parse(cmd, ssh).host(), 4369);
        }
        return java.net.InetSocketAddress.createUnresolved("127.0.0.1", 4369);
    }

    /** The target options as a user types them again, for printed commands (ends with a space when any). */
    String describe() {
        if (lab) {
            return "--lab ";
        }
        return ssh != null ? "--ssh " + ssh + " " : "";
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
