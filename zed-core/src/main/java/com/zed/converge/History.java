package com.zed.converge;

import com.zed.model.Deployment;
import com.zed.zfs.PoolName;
import com.zed.zfs.SnapshotInfo;
import com.zed.zfs.SnapshotName;
import com.zed.zfs.Zfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The audit log: Zed's before-deploy snapshots of one deploy, grouped by deploy (one snapshot
 * name across datasets), oldest first. Each says when, who, what changed and how it ended.
 */
public final class History {
    private History() {
    }

    public record Entry(String snapshot, String at, String by, String summary, String result,
                        List<SnapshotName> snapshots, boolean held) { }

    public static List<Entry> of(Zfs zfs, PoolName pool, String deploy) {
        return of(zfs.snapshots(pool.root(), true), deploy);
    }

    private static List<Entry> of(List<SnapshotInfo> snapshots, String deploy) {
        var groups = new LinkedHashMap<String, List<SnapshotInfo>>();
        for (SnapshotInfo s : snapshots) {
            if (Converger.isBeforeDeploy(s, deploy)) {
                groups.computeIfAbsent(s.name().shortName(), k -> new ArrayList<>()).add(s);
            }
        }
        var out = new ArrayList<Entry>();
        groups.forEach((name, snaps) -> {
            SnapshotInfo first = snaps.get(0);
            out.add(new Entry(name, first.user(ZedProperties.AT).orElse(first.creation().toString()),
                    first.user(ZedProperties.BY).orElse("?"), first.user(ZedProperties.SUMMARY).orElse(""),
                    first.user(ZedProperties.RESULT).orElse("?"),
                    snaps.stream().map(SnapshotInfo::name).toList(),
                    snaps.stream().anyMatch(SnapshotInfo::isHeld)));
        });
        return out;
    }

    /** A deployment's history, read from its own datasets' snapshots only (one zfs process, whatever the pool holds). */
    public static List<Entry> of(Zfs zfs, Deployment d) {
        return of(zfs.snapshots(d.datasets().stream().map(s -> s.in(d.pool())).toList()), d.name());
    }
}
