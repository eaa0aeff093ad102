package com.zed.zfs;

import com.zed.exec.Execution;

import java.util.List;
import java.util.Map;

/**
 * The ZFS operations Zed uses. Every name is typed and validated before a command runs;
 * failures of zfs itself surface as {@link ZfsException} subclasses with zfs's stderr.
 */
public interface Zfs {

    /** The userland version line, e.g. {@code zfs-2.3.2-1~bpo12+1}. */
    String version();

    /** Does this dataset, snapshot or bookmark exist? */
    boolean exists(String name);

    /**
     * All properties of {@code root} and (if {@code recursive}) its descendant filesystems and
     * volumes, in one {@code zfs get -Hp} call. Snapshots are not included.
     */
    PropertyTable properties(DatasetName root, boolean recursive);

    /** Selected properties of one dataset, snapshot or bookmark, in one call. */
    PropertyTable properties(String name, List<PropertyName> props);

    /**
     * Selected properties of several datasets, snapshots or bookmarks (not recursive), in one
     * {@code zfs get}. Every asked property of every existing name is in the result, as zfs prints it
     * ({@code -} with source {@code -} for an unset user property); names that do not exist are simply
     * absent. Any other failure throws.
     */
    PropertyTable properties(List<String> names, List<PropertyName> props);

    /** Creates a filesystem with properties set at creation ({@code -o}); {@code parents} adds {@code -p}. */
    void create(DatasetName name, Map<PropertyName, String> props, boolean parents);

    /** Sets several properties in one {@code zfs set} (atomic per dataset). */
    void set(String name, Map<PropertyName, String> props);

    /** Clears a local value so it is inherited again; {@code received} reverts to the received value (-S). */
    void inherit(String name, PropertyName prop, boolean recursive, boolean received);

    /**
     * Takes all snapshots in one {@code zfs snapshot} command — one transaction group, so they are
     * consistent with each other. Properties are set on each snapshot as it is created.
     */
    void snapshot(List<SnapshotName> snapshots, boolean recursive, Map<PropertyName, String> props);

    /** Snapshots of {@code root} (and its descendants if {@code recursive}), oldest first (by createtxg). */
    List<SnapshotInfo> snapshots(DatasetName root, boolean recursive);

    /**
     * Snapshots of each named dataset (depth 1: not of their children), in one {@code zfs get}, oldest
     * first. Datasets that do not exist contribute nothing.
     */
    List<SnapshotInfo> snapshots(List<DatasetName> datasets);

    /**
     * Rolls back to {@code snap}. With {@code destroyNewer} false, zfs refuses when newer snapshots
     * or bookmarks exist ({@link ZfsException.NewerSnapshotsException}); true passes {@code -r}.
     */
    void rollback(SnapshotName snap, boolean destroyNewer);

    void clone(SnapshotName origin, DatasetName target, Map<PropertyName, String> props, boolean parents);

    void promote(DatasetName clone);

    /** Renames a dataset (or, with both names snapshots of one dataset, a snapshot). */
    void rename(String from, String to, boolean parents);

    void hold(String tag, List<SnapshotName> snapshots, boolean recursive);

    void release(String tag, List<SnapshotName> snapshots, boolean recursive);

    List<Hold> holds(SnapshotName snap);

    void bookmark(SnapshotName snap, BookmarkName mark);

    /** Bookmarks of one dataset. */
    List<BookmarkName> bookmarks(DatasetName dataset);

    /**
     * Destroys a dataset. A pool's root is never destroyed; anything beyond the one dataset needs
     * {@link DestroyMode#RECURSIVE} or {@link DestroyMode#RECURSIVE_AND_CLONES} by name.
     */
    void destroy(DatasetName name, DestroyMode mode);

    /** Destroys a snapshot; {@code RECURSIVE} destroys the same-named snapshot of every descendant. */
    void destroy(SnapshotName snap, DestroyMode mode);

    void destroy(BookmarkName mark);

    /** Starts {@code zfs send}; the stream is the execution's stdout. */
    Execution startSend(SendRequest request);

    /** Starts {@code zfs receive}; write the stream to the execution's stdin. */
    Execution startReceive(ReceiveRequest request);

    /**
     * Sends into {@code target} (this host or another) through a Java pipe between the two
     * processes — no shell, no temp file. Returns the number of stream bytes moved.
     */
    long sendTo(SendRequest send, Zfs target, ReceiveRequest receive);

    /** Files changed between a snapshot and a later snapshot or the live filesystem ({@code zfs diff -FHt}). */
    List<DiffEntry> diff(SnapshotName from, String to);

    // ---- replication (com.zed.replicate); defaults so other implementations keep compiling ----------

    /** Starts {@code zfs send -t TOKEN}: resumes an interrupted stream from the target's {@code receive_resume_token}. */
    default Execution startResumeSend(String token) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not resume sends");
    }

    /** The stream size {@code zfs send -nP} estimates for this request (bytes), without sending. */
    default long estimateSend(SendRequest request) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not estimate sends");
    }

    /** The remaining size {@code zfs send -nP -t TOKEN} estimates for a resumed stream (bytes). */
    default long estimateResumeSend(String token) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not estimate sends");
    }

    /**
     * {@code props} of {@code dataset} and of its direct children of {@code types} (a comma list of
     * filesystem, volume, snapshot, bookmark) in one read ({@code zfs get -t TYPES -d 1}); a dataset
     * that does not exist gives an empty table. Replication reads its guids this way.
     */
    default PropertyTable childProperties(DatasetName dataset, String types, List<PropertyName> props) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not read children's properties");
    }

    /** {@code zfs receive -A}: discards the partial state an interrupted resumable receive left on {@code target}. */
    default void abortReceive(DatasetName target) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not abort receives");
    }
}
