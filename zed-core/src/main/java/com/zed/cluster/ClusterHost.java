package com.zed.cluster;

import com.zed.converge.Converger;
import com.zed.converge.Plan;

/**
 * One host of a cluster run as the coordinator sees it: the narrow port to SSH, ZFS and the converge
 * engine of that host. Every method may throw {@link HostLostException} when the host cannot be
 * reached (or stops answering) — the coordinator counts that as a failure like any other.
 */
public interface ClusterHost extends AutoCloseable {

    String name();

    /** Connects when needed and plans, read-only. */
    Plan plan();

    /**
     * Converges the host: the single-host transaction, with its own crash recovery first. Runs in the
     * calling thread's {@link com.zed.converge.Cancellation} scope: a request there rolls it back.
     * A failure inside the transaction has already restored the host when this returns
     * {@link Converger.Outcome#ROLLED_BACK} (or throws something other than {@link HostLostException}).
     */
    Converger.Result converge();

    /** Returns the host to the before-deploy snapshot {@code snapshot} this run's converge took ({@code zed rollback}). */
    void rollback(String snapshot);

    /**
     * Reaches a host lost mid-run again, over a new connection, and settles it: an interrupted transaction
     * of this run is recovered (the host is back on its old state: {@link HostReport.Outcome#FAILED}); one
     * that had committed before the connection broke (its report never arrived) stands
     * ({@link HostReport.Outcome#UPDATED}), or with {@code rollback} is rolled back
     * ({@link HostReport.Outcome#ROLLED_BACK}). Throws {@link HostLostException} when it still cannot be reached.
     *
     * @param since when this run started: a deploy committed on the host after it is this run's
     */
    HostReport.Outcome reconcile(java.time.Instant since, boolean rollback);

    @Override
    void close();

    /** The host could not be reached, or the connection broke: its state is known again only after its recovery. */
    final class HostLostException extends RuntimeException {
        public HostLostException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
