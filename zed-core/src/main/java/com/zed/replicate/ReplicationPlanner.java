package com.zed.replicate;

import com.zed.replicate.ReplicationPlan.Action;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the next replication step from what the source and the target hold. Pure: no I/O.
 * Snapshots are matched by guid, never by name (a renamed snapshot is still the same data; a
 * same-named one made on the target is not). A diverged target is refused unless the caller
 * explicitly allows rolling it back.
 */
public final class ReplicationPlanner {
    private ReplicationPlanner() {
    }

    public static ReplicationPlan plan(SourceState source, TargetState target, boolean allowRollback) {
        if (target.resumeToken().isPresent()) {
            Optional<String> stale = ResumeToken.decode(target.resumeToken().get()).flatMap(t -> stale(t, source));
            if (stale.isPresent()) {
                return new ReplicationPlan(Action.ABORT_RESUME, Optional.empty(), Optional.empty(), target.resumeToken(),
                        Optional.empty(), List.of(), "the target's partial receive cannot be resumed: " + stale.get()
                        + "; discarding it (zfs receive -A) and planning again");
            }
            return new ReplicationPlan(Action.RESUME, Optional.empty(), Optional.empty(), target.resumeToken(),
                    Optional.empty(), List.of(), "resume the interrupted stream from the target's receive_resume_token");
        }
        if (source.snapshots().isEmpty()) {
            return refusal(Action.REFUSE_NO_SNAPSHOT, List.of(), "the source has no snapshot to replicate");
        }
        Point newest = source.newest().orElseThrow();
        if (!target.exists()) {
            Point first = source.snapshots().get(0);
            return new ReplicationPlan(Action.FULL, Optional.empty(), Optional.of(first), Optional.empty(), Optional.empty(),
                    List.of(), "full stream of " + first.name() + " (the target does not exist)");
        }
        Map<String, Point> onTarget = new HashMap<>();
        target.snapshots().forEach(p -> onTarget.put(p.guid(), p));

        Optional<Point> commonSnap = newestIn(source.snapshots(), onTarget);
        Optional<Point> commonMark = newestIn(source.bookmarks(), onTarget);
        Optional<Point> base = commonSnap;
        if (commonMark.isPresent() && (commonSnap.isEmpty() || commonMark.get().createTxg() > commonSnap.get().createTxg())) {
            base = commonMark;
        }
        if (base.isEmpty()) {
            return refusal(Action.REFUSE_NO_COMMON, List.of(),
                    "the target exists but has no snapshot of the source (matched by guid) among its "
                            + target.snapshots().size() + "; zed does not overwrite it — destroy or rename it first");
        }
        Point targetBase = onTarget.get(base.get().guid());
        List<String> divergence = new ArrayList<>();
        target.snapshots().stream().filter(p -> p.createTxg() > targetBase.createTxg())
                .forEach(p -> divergence.add("snapshot " + p.name() + " is newer than the common base " + targetBase.name()
                        + (source.snapshots().stream().anyMatch(s -> s.guid().equals(p.guid())) ? "" : " and the source lacks it")));
        if (target.written() > 0) {
            divergence.add(target.written() + " bytes written on the target since its newest snapshot");
        }
        Optional<Point> rollbackTo = Optional.empty();
        if (!divergence.isEmpty()) {
            if (!allowRollback) {
                return refusal(Action.REFUSE_DIVERGED, divergence, "the target diverged from the source: "
                        + String.join("; ", divergence) + " — refused; allow rolling it back to " + targetBase.name()
                        + " explicitly (rollback true / --rollback) to discard that");
            }
            rollbackTo = Optional.of(targetBase);
        }
        if (base.get().guid().equals(newest.guid())) {
            return new ReplicationPlan(Action.UP_TO_DATE, base, Optional.of(newest), Optional.empty(), rollbackTo, divergence,
                    "up to date at " + newest.name() + (rollbackTo.isPresent() ? " (after rolling the target back to " + targetBase.name() + ")" : ""));
        }
        return new ReplicationPlan(Action.INCREMENTAL, base, Optional.of(newest), Optional.empty(), rollbackTo, divergence,
                "incremental from " + base.get().name() + " to " + newest.name()
                        + (rollbackTo.isPresent() ? " after rolling the target back to " + targetBase.name() : ""));
    }

    /**
     * Why the source can no longer send the rest of {@code token}'s stream (empty when it can): the
     * snapshot it goes to is gone, or the incremental base is neither a snapshot nor a bookmark any more.
     * Matched by guid: a renamed snapshot still resumes.
     */
    static Optional<String> stale(ResumeToken token, SourceState source) {
        if (source.snapshots().stream().noneMatch(p -> p.guid().equals(token.toGuid()))) {
            return Optional.of("its snapshot " + token.toName() + " (guid " + token.toGuid() + ") is gone from the source");
        }
        if (token.fromGuid().isPresent()) {
            String from = token.fromGuid().get();
            if (source.snapshots().stream().noneMatch(p -> p.guid().equals(from))
                    && source.bookmarks().stream().noneMatch(p -> p.guid().equals(from))) {
                return Optional.of("its incremental base (guid " + from + ") is gone from the source, snapshot and bookmark");
            }
        }
        return Optional.empty();
    }

    private static Optional<Point> newestIn(List<Point> sorted, Map<String, Point> onTarget) {
        for (int i = sorted.size() - 1; i >= 0; i--) {
            if (onTarget.containsKey(sorted.get(i).guid())) {
                return Optional.of(sorted.get(i));
            }
        }
        return Optional.empty();
    }

    private static ReplicationPlan refusal(Action a, List<String> divergence, String message) {
        return new ReplicationPlan(a, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), divergence, message);
    }
}
