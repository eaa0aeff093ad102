package com.zed.model;

import java.util.OptionalInt;

/**
 * {@code replicate('apps/trading') { to 'dr', dataset: 'backup/trading'; ... }}: one dataset of the
 * deploy's pool sent to another host (or pool) after each deploy, or by {@code zed replicate}.
 *
 * @param dataset       the source dataset, relative to the deploy's pool
 * @param host          the target host: an ssh alias or {@code user@host[:port]} (null when not given)
 * @param targetDataset the full target dataset, {@code pool/path} (null when not given)
 * @param raw           {@code zfs send -w}
 * @param compressed    {@code zfs send -c}
 * @param keep          snapshots kept on the target (empty: all of them)
 * @param rollback      a diverged target may be rolled back to the common snapshot (discarding what differs)
 */
public record ReplicationSpec(String dataset, String host, String targetDataset, boolean raw, boolean compressed,
                              OptionalInt keep, boolean rollback, SourcePos pos) {
}
