package com.zed.cli;

import com.zed.exec.CommandRunner;
import com.zed.exec.Connector;
import com.zed.exec.LocalRunner;
import com.zed.exec.SshRunner;
import com.zed.exec.SshSettings;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

/** Where commands run and health checks connect from: this host (default), the lab VM, or a host over SSH. */
public final class TargetOptions {

    @Option(names = "--lab", description = "Run ZFS commands in the lab VM started by scripts/lab up.")
    boolean lab;

    @Option(names = "--ssh", paramLabel = "HOST",
            description = "Run ZFS commands on this host over SSH: an alias from the SSH config, or [USER@]HOST[:PORT]."
                    + " Host keys are checked against known_hosts.")
    String ssh;

    @Option(names = "--ssh-config", paramLabel = "FILE",
            description = "OpenSSH client config to read (default: ~/.ssh/config when it exists).")
    Path sshConfig;

    @Option(names = "--identity", paramLabel = "FILE",
            description = "SSH private key, tried before the config's IdentityFile (default: the config's, else ~/.ssh/id_*; and ssh-agent's keys).")
    Path identity;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file for every host (default: the config's UserKnownHostsFile, else ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--accept-new-host-key",
            description = "Accept a host whose key is not in known_hosts yet and add it there (like StrictHostKeyChecking=accept-new)."
                    + " A changed key is refused regardless.")
    boolean acceptNewHostKey;


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
        if (ssh == null) {
            return "";
        }
        return "--ssh " + ssh + " " + (sshConfig != null ? "--ssh-config " + sshConfig + " " : "")
                + (identity != null ? "--identity " + identity + " " : "")
                + (knownHosts != null ? "--known-hosts " + knownHosts + " " : "");
    }

    /** Was a single target named (--lab or --ssh)? */
    boolean explicit() {
        return lab || ssh != null;
    }

    /** A runner for one cluster host, reached as its {@code ssh:} says. */
    CommandRunner host(String target, picocli.CommandLine cmd) {
        SshRunner r = SshRunner.connect(target, settings());
        r.notices().forEach(n -> cmd.getErr().println("zed: " + target + ": " + n));
        return r;
    }

    CommandRunner runner(picocli.CommandLine cmd) {
        if (lab && ssh != null) {
            throw new ParameterException(cmd, "--lab and --ssh are alternatives; give one");
        }
        if (lab) {
            return new SshRunner(Lab.target().orElseThrow(() -> new ParameterException(cmd, Lab.whyNot())));
        }
        if (ssh != null) {
            SshRunner r;
            try {
                r = SshRunner.connect(ssh, settings());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cmd, "--ssh " + ssh + ": " + e.getMessage());
            }
            r.notices().forEach(n -> cmd.getErr().println("zed: " + n));
            return r;
        }
        return new LocalRunner();
    }

    /** The SSH settings these options make: the user's own, with what was given on the command line on top. */
    SshSettings settings() {
        SshSettings s = SshSettings.defaults();
        if (sshConfig != null) {
            s = s.withConfig(sshConfig);
        }
        return s.withKnownHosts(knownHosts).withIdentity(identity).acceptingNewHostKeys(acceptNewHostKey);
    }
}
