// The trading desk's matching engine on the lab pool `jeff` (plain Linux OpenZFS 2.3).
// Load and check it without touching ZFS: every mistake is reported with file:line:col.
deploy('trading', pool: 'jeff') {
    dataset('apps/exmc') {
        compression 'lz4'
        recordsize '16K'
        atime false
        quota '10G'
        property 'com.example:team', 'trading'
    }

    // No release of exmc is handled here: its version is only recorded in ZFS, and plan and status
    // say so. Without `recordOnly true`, an app whose release is not in the store is an error.
    app('exmc') {
        dataset 'apps/exmc'
        version '1.4.2'
        nodeName 'exmc@127.0.0.1'
        recordOnly true
    }

    snapshots {
        beforeDeploy true
        keep 5
    }
}
