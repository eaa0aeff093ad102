package com.zed.zfs;

/** How far a destroy may reach. Anything beyond one object must be asked for by name. */
public enum DestroyMode {
    /** Only the named object; fails if it has children, snapshots or clones. */
    SINGLE,
    /** The object and all descendants (zfs destroy -r). */
    RECURSIVE,
    /** Descendants and any clones of them elsewhere (zfs destroy -R). */
    RECURSIVE_AND_CLONES
}
