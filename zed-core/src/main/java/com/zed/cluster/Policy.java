package com.zed.cluster;

import com.zed.model.ClusterSpec.Fallback;
import com.zed.model.ClusterSpec.Strategy;

/**
 * What the first failure of a cluster run does to the rest of it: the strategy says which hosts the
 * fallback reaches, the fallback what it does to them. Pure; the table is in docs/cluster.md and the
 * protocol is model-checked (docs/model/cluster.pml).
 *
 * @param startMore        keep starting hosts not yet started
 * @param cancelInFlight   stop the converges still running (each rolls its host back by itself)
 * @param rollbackFinished return the hosts this run already updated to their before-deploy snapshot
 */
public record Policy(boolean startMore, boolean cancelInFlight, boolean rollbackFinished) {

    public static Policy onFailure(Strategy strategy, Fallback fallback) {
        return switch (fallback) {
            case IGNORE -> new Policy(true, false, false);
            case STOP -> new Policy(false, false, false);
            case ROLLBACK -> switch (strategy) {
                // The failed host's own transaction has already restored it.
                case ONE4ONE -> new Policy(true, false, false);
                case ONE4REST -> new Policy(false, true, false);
                case ONE4ALL -> new Policy(false, true, true);
            };
        };
    }
}
