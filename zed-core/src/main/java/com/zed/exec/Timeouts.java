package com.zed.exec;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a command may run before its runner kills it, per kind of command. Every command a
 * {@link CommandRunner} runs is bounded: {@link CommandRunner#run(java.util.List)} and the other
 * overloads without a timeout use {@link Kind#WRITE}, the generous default for a command whose
 * kind the caller did not say.
 *
 * @param read    queries that change nothing ({@code zfs get}, {@code systemctl show}, {@code cat})
 * @param write   commands that change state ({@code zfs create/destroy/rollback}, writing a file);
 *                also the default
 * @param service starting, stopping or reloading a service ({@code systemctl start}, a pre-command unit)
 * @param unpack  streaming a release tarball into {@code tar}, or similar bulk transfers
 */
public record Timeouts(Duration read, Duration write, Duration service, Duration unpack) {

    /** What a command is, for its default timeout. */
    public enum Kind { READ, WRITE, SERVICE, UNPACK }

    /** 2 min reads, 10 min writes, 5 min service start/stop, 30 min unpack. */
    public static final Timeouts DEFAULTS = new Timeouts(
            Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(30));

    public Timeouts {
        for (Duration d : new Duration[] {read, write, service, unpack}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("command timeouts must be positive, got " + d);
            }
        }
    }

    public Duration of(Kind kind) {
        return switch (kind) {
            case READ -> read;
            case WRITE -> write;
            case SERVICE -> service;
            case UNPACK -> unpack;
        };
    }

    /** The timeout of commands run without a kind or an explicit timeout. */
    public Duration fallback() {
        return write;
    }

    /** A copy with {@code kind}'s timeout replaced. */
    public Timeouts with(Kind kind, Duration d) {
        return new Timeouts(kind == Kind.READ ? d : read, kind == Kind.WRITE ? d : write,
                kind == Kind.SERVICE ? d : service, kind == Kind.UNPACK ? d : unpack);
    }
}
