package com.zed.dsl;

import com.zed.model.DatasetSpec;
import com.zed.model.Field;
import com.zed.model.SourcePos;
import com.zed.zfs.InvalidNameException;
import com.zed.zfs.PropertyName;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dataset('apps/name') { ... }}: the ZFS properties the dataset must have. One typed verb per
 * native property Zed knows ({@code PropertyValues.settableNative()}); any other with {@code property}.
 * Values are ZFS vocabulary; whether ZFS accepts them (and the names of {@code property}) is checked
 * by the Validator after evaluation, at the verb's position.
 */
public final class DatasetBlock {
    private final ScriptState state;
    private final String path;
    final SourcePos pos;
    private final Map<PropertyName, String> properties = new LinkedHashMap<>();
    private final Declared declared;

    DatasetBlock(ScriptState state, String path, SourcePos pos) {
        this.state = state;
        this.path = path;
        this.pos = pos;
        this.declared = new Declared(state);
    }

    /** Any property by its ZFS name: a user property ({@code com.example:team}) or a native one. */
    @Usage("property 'com.example:team', 'trading'")
    public void property(String name, String value) {
        set("property", name, value);
    }

    /** Where the dataset mounts: an absolute path, 'none' or 'legacy'. */
    @Usage("mountpoint '/opt/app'")
    public void mountpoint(String path) {
        set("mountpoint", "mountpoint", path);
    }

    /** Size of the dataset's records, a power of two from 512 to 16M ('16K', '1M'). */
    @Usage("recordsize '16K'")
    public void recordsize(String size) {
        set("recordsize", "recordsize", size);
    }

    /** Blocks up to this size go to the special vdev ('0', '32K'). */
    @Usage("special_small_blocks '32K'")
    public void special_small_blocks(String size) {
        set("special_small_blocks", "special_small_blocks", size);
    }

    /** How many copies of each block ZFS keeps: 1, 2 or 3. */
    @Usage("copies 2")
    public void copies(int copies) {
        set("copies", "copies", Integer.toString(copies));
    }

    /** How many child filesystems may be created below: a number. */
    @Usage("filesystem_limit 100")
    public void filesystem_limit(int limit) {
        set("filesystem_limit", "filesystem_limit", Integer.toString(limit));
    }

    /** How many child filesystems may be created below: 'none' lifts the limit. */
    @Usage("filesystem_limit 'none'")
    public void filesystem_limit(String limit) {
        set("filesystem_limit", "filesystem_limit", limit);
    }

    /** How many snapshots may be taken below: a number. */
    @Usage("snapshot_limit 100")
    public void snapshot_limit(int limit) {
        set("snapshot_limit", "snapshot_limit", Integer.toString(limit));
    }

    /** How many snapshots may be taken below: 'none' lifts the limit. */
    @Usage("snapshot_limit 'none'")
    public void snapshot_limit(String limit) {
        set("snapshot_limit", "snapshot_limit", limit);
    }

    /** A size limit for the dataset and its children ('10G', or 'none'). */
    @Usage("quota '10G'")
    public void quota(String size) {
        set("quota", "quota", size);
    }

    /** A size limit for the dataset itself ('10G', or 'none'). */
    @Usage("refquota '10G'")
    public void refquota(String size) {
        set("refquota", "refquota", size);
    }

    /** Space guaranteed to the dataset and its children ('1G', or 'none'). */
    @Usage("reservation '10G'")
    public void reservation(String size) {
        set("reservation", "reservation", size);
    }

    /** Space guaranteed to the dataset itself ('1G', or 'none'). */
    @Usage("refreservation '10G'")
    public void refreservation(String size) {
        set("refreservation", "refreservation", size);
    }

    /** Update access times on read: true (on) or false (off). */
    @Usage("atime true")
    public void atime(boolean on) {
        set("atime", "atime", on ? "on" : "off");
    }

    /** Update access times lazily (Linux): true (on) or false (off). */
    @Usage("relatime true")
    public void relatime(boolean on) {
        set("relatime", "relatime", on ? "on" : "off");
    }

    /** Refuse writes: true (on) or false (off). */
    @Usage("readonly true")
    public void readonly(boolean on) {
        set("readonly", "readonly", on ? "on" : "off");
    }

    /** Allow executing files: true (on) or false (off). */
    @Usage("exec true")
    public void exec(boolean on) {
        set("exec", "exec", on ? "on" : "off");
    }

    /** Honour setuid bits: true (on) or false (off). */
    @Usage("setuid true")
    public void setuid(boolean on) {
        set("setuid", "setuid", on ? "on" : "off");
    }

    /** Allow device nodes: true (on) or false (off). */
    @Usage("devices true")
    public void devices(boolean on) {
        set("devices", "devices", on ? "on" : "off");
    }

    /** Allow mounting over a non-empty directory: true (on) or false (off). */
    @Usage("overlay true")
    public void overlay(boolean on) {
        set("overlay", "overlay", on ? "on" : "off");
    }

    /** Managed from a non-global zone or a user namespace: true (on) or false (off). */
    @Usage("zoned true")
    public void zoned(boolean on) {
        set("zoned", "zoned", on ? "on" : "off");
    }

    /** Virus-scan files (illumos): true (on) or false (off). */
    @Usage("vscan true")
    public void vscan(boolean on) {
        set("vscan", "vscan", on ? "on" : "off");
    }

    /** Non-blocking mandatory locks: true (on) or false (off). */
    @Usage("nbmand true")
    public void nbmand(boolean on) {
        set("nbmand", "nbmand", on ? "on" : "off");
    }

    /** compression: 'lz4', 'zstd', 'zstd-3', 'gzip-9', 'off', .... */
    @Usage("compression 'lz4'")
    public void compression(String value) {
        set("compression", "compression", value);
    }

    /** checksum: 'on', 'sha256', 'blake3', .... */
    @Usage("checksum 'on'")
    public void checksum(String value) {
        set("checksum", "checksum", value);
    }

    /** sync: 'standard', 'always' or 'disabled'. */
    @Usage("sync 'standard'")
    public void sync(String value) {
        set("sync", "sync", value);
    }

    /** logbias: 'latency' or 'throughput'. */
    @Usage("logbias 'latency'")
    public void logbias(String value) {
        set("logbias", "logbias", value);
    }

    /** primarycache: 'all', 'none' or 'metadata'. */
    @Usage("primarycache 'all'")
    public void primarycache(String value) {
        set("primarycache", "primarycache", value);
    }

    /** secondarycache: 'all', 'none' or 'metadata'. */
    @Usage("secondarycache 'all'")
    public void secondarycache(String value) {
        set("secondarycache", "secondarycache", value);
    }

    /** canmount: 'on', 'off' or 'noauto'. */
    @Usage("canmount 'on'")
    public void canmount(String value) {
        set("canmount", "canmount", value);
    }

    /** snapdir: 'hidden' or 'visible'. */
    @Usage("snapdir 'hidden'")
    public void snapdir(String value) {
        set("snapdir", "snapdir", value);
    }

    /** xattr: 'on', 'off', 'sa' or 'dir'. */
    @Usage("xattr 'on'")
    public void xattr(String value) {
        set("xattr", "xattr", value);
    }

    /** acltype: 'off', 'nfsv4', 'posix', .... */
    @Usage("acltype 'off'")
    public void acltype(String value) {
        set("acltype", "acltype", value);
    }

    /** aclinherit: 'discard', 'noallow', 'restricted', 'passthrough', 'passthrough-x'. */
    @Usage("aclinherit 'discard'")
    public void aclinherit(String value) {
        set("aclinherit", "aclinherit", value);
    }

    /** aclmode: 'discard', 'groupmask', 'passthrough', 'restricted'. */
    @Usage("aclmode 'discard'")
    public void aclmode(String value) {
        set("aclmode", "aclmode", value);
    }

    /** dedup: 'on', 'off', 'verify', 'sha256', .... */
    @Usage("dedup 'on'")
    public void dedup(String value) {
        set("dedup", "dedup", value);
    }

    /** redundant_metadata: 'all', 'most', 'some' or 'none'. */
    @Usage("redundant_metadata 'all'")
    public void redundant_metadata(String value) {
        set("redundant_metadata", "redundant_metadata", value);
    }

    /** dnodesize: 'legacy', 'auto', '1k' ... '16k'. */
    @Usage("dnodesize 'legacy'")
    public void dnodesize(String value) {
        set("dnodesize", "dnodesize", value);
    }

    /** sharenfs: NFS share options, 'on' or 'off'. */
    @Usage("sharenfs 'on'")
    public void sharenfs(String value) {
        set("sharenfs", "sharenfs", value);
    }

    /** sharesmb: SMB share options, 'on' or 'off'. */
    @Usage("sharesmb 'on'")
    public void sharesmb(String value) {
        set("sharesmb", "sharesmb", value);
    }

    /** The first value of each property is kept; a name ZFS refuses is only recorded, for the Validator to report. */
    private void set(String verb, String name, String value) {
        if (declared.add(Field.of(String.valueOf(name)), state.pos(verb), value) && name != null && value != null) {
            try {
                properties.put(PropertyName.of(name), value);
            } catch (InvalidNameException e) {
                // reported by the Validator from the recorded name
            }
        }
    }

    DatasetSpec build() {
        return declared.to(new DatasetSpec(path, properties, pos));
    }
}
