package com.zed.converge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * A transaction's intent, written on the pool's lock before its first side effect, so that any
 * later process can undo it: what it is ({@code deploy} or {@code rollback}), the before-deploy
 * snapshot's short name (its id), the datasets {@code create -p} will make implicitly, and per app
 * the release it replaces. Datasets it creates carry {@code com.zed:created-in=<id>}; snapshots it
 * takes are named {@code <dataset>@<id>}; files outside ZFS are kept under the same id. No secrets.
 *
 * @param keepSnapshots false when the script asked for no before-deploy snapshots: they are taken for
 *                      the transaction's sake and destroyed once it ends
 * @param rollbackTo    for a {@code rollback}: the snapshot id it returns to
 * @param destroyNewer  for a {@code rollback}: the operator allowed {@code zfs rollback -r}
 */
public record Txn(String id, String kind, String deploy, String pool, String at, String by, String scriptHash,
                  boolean keepSnapshots, List<String> parents, List<App> apps, String rollbackTo,
                  boolean destroyNewer) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static final String DEPLOY = "deploy";
    public static final String ROLLBACK = "rollback";

    public Txn {
        parents = parents == null ? List.of() : List.copyOf(parents);
        apps = apps == null ? List.of() : List.copyOf(apps);
    }

    /**
     * One app the transaction touches.
     *
     * @param from       the version that ran before (null: none — the dataset is new or had no release)
     * @param created    its dataset is created by this transaction
     * @param recordOnly the app's version is only recorded; no release, no service
     */
    public record App(String app, String dataset, String mountpoint, String from, String to, boolean created,
                      boolean recordOnly) { }

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Txn parse(String json) {
        try {
            return JSON.readValue(json, Txn.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable transaction record on the lock: " + e.getOriginalMessage(), e);
        }
    }
}
