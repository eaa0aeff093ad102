package com.zed.support

import com.zed.cli.Lab
import com.zed.exec.SshRunner
import com.zed.exec.SshSettings
import groovy.transform.CompileStatic

import java.nio.file.Files
import java.nio.file.Path

/**
 * The namespace "hosts" zh1..zhN inside the lab VM ({@code scripts/lab hosts up N}), brought up once
 * per JVM: {@code hosts up} is idempotent (hosts already up are kept, keys and all), so a lab whose
 * hosts are up costs one quick check. Hands out the OpenSSH config and hashed known_hosts it wrote.
 */
@CompileStatic
final class LabHosts {
    static final int COUNT = 4
    private static boolean up

    private LabHosts() {
    }

    /** Brings zh1..zh{@link #COUNT} up (or finds them up); the lab itself must be up. */
    static synchronized void up() {
        if (up) {
            return
        }
        hostsUp()
        up = true
    }

    /** Runs {@code scripts/lab hosts up} again: a host whose sshd died gets a new one (same key, same pool). */
    static synchronized void restart() {
        hostsUp()
        up = true
    }

    private static void hostsUp() {
        Path lab = Path.of(System.getProperty('zed.repo', '..'), 'scripts', 'lab').toAbsolutePath()
        def pb = new ProcessBuilder(lab.toString(), 'hosts', 'up', String.valueOf(COUNT))
        pb.environment().put('ZED_LAB_RUN', Lab.runDir().toString())
        pb.redirectErrorStream(true)
        Process p = pb.start()
        String out = p.inputStream.getText('UTF-8')
        if (p.waitFor() != 0) {
            throw new IllegalStateException("scripts/lab hosts up $COUNT failed:\n$out")
        }
    }

    static Path dir() {
        Lab.runDir().resolve('hosts')
    }

    /** The OpenSSH client config: {@code lab}, and {@code zhK} with {@code ProxyJump lab}. */
    static Path sshConfig() {
        up()
        dir().resolve('ssh_config')
    }

    /** The hosts' keys, hashed ({@code |1|salt|hash}). */
    static Path knownHosts() {
        up()
        dir().resolve('known_hosts')
    }

    /** The lab's client key, authorized for root in the VM and in every namespace host. */
    static Path key() {
        Lab.runDir().resolve('id_ed25519')
    }

    static List<String> names() {
        up()
        Files.readAllLines(dir().resolve('names')).findAll { !it.isBlank() }
    }

    /** Settings that read the hosts' ssh_config (each host's known_hosts and key from there), no agent. */
    static SshSettings settings() {
        new SshSettings(sshConfig(), null, null, false).withAgentSocket(SshSettings.NO_AGENT)
    }

    /** A runner to {@code name} (an alias of the hosts' ssh_config: lab, zh1, ...), connected. */
    static SshRunner runner(String name) {
        SshRunner.connect(name, settings())
    }

    /** The address of host {@code zhK}: 10.77.0.(10+K). */
    static String address(int k) {
        "10.77.0.${10 + k}"
    }
}
