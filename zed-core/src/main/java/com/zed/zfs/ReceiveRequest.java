package com.zed.zfs;

import java.util.List;
import java.util.Map;

/**
 * Where and how {@code zfs receive} stores a stream.
 *
 * @param target    dataset to create or update
 * @param force     -F: roll the target back to its newest snapshot first (destroys changes made there)
 * @param noMount   -u: do not mount what is received
 * @param resumable -s: keep partial state so an interrupted receive can resume
 * @param set       -o: properties to set on the received dataset
 * @param exclude   -x: properties not to take from the stream
 */
public record ReceiveRequest(DatasetName target, boolean force, boolean noMount, boolean resumable,
                             Map<PropertyName, String> set, List<PropertyName> exclude) {

    public ReceiveRequest {
        set = Map.copyOf(set);
        exclude = List.copyOf(exclude);
        set.forEach(PropertyName::checkValue);
    }

    public static ReceiveRequest into(DatasetName target) {
        return new ReceiveRequest(target, false, true, false, Map.of(), List.of());
    }

    public ReceiveRequest withForce() {
        return new ReceiveRequest(target, true, noMount, resumable, set, exclude);
    }

    public ReceiveRequest withResumable() {
        return new ReceiveRequest(target, force, noMount, true, set, exclude);
    }
}
