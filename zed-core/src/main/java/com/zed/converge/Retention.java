package com.zed.converge;

import com.zed.zfs.DatasetName;
import com.zed.zfs.SnapshotInfo;
import com.zed.zfs.SnapshotName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Which before-deploy snapshots go: pure keep rules over a snapshot list. Per dataset, the newest
 * {@code keep} of this deploy's own stay (own = marked by Zed's property, not by name); a held
 * snapshot always stays; and the snapshot of the transaction that just ran is never a candidate.
 */
public final class Retention {
    private Retention() {
    }

    /** @param snapshots oldest first, as {@code zfs} lists them */
    public static List<SnapshotName> select(List<SnapshotInfo> snapshots, String deploy, int keep, String current) {
        var byDataset = new LinkedHashMap<DatasetName, List<SnapshotInfo>>();
        for (SnapshotInfo s : snapshots) {
            if (Converger.isBeforeDeploy(s, deploy)) {
                byDataset.computeIfAbsent(s.name().dataset(), k -> new ArrayList<>()).add(s);
            }
        }
        int k = Math.max(1, keep);
        var out = new ArrayList<SnapshotName>();
        byDataset.values().forEach(list -> {
            for (int i = 0; i < list.size() - k; i++) {
                SnapshotInfo s = list.get(i);
                if (!s.isHeld() && !s.name().shortName().equals(current)) {
                    out.add(s.name());
                }
            }
        });
        return out;
    }
}
