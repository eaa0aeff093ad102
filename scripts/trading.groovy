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

    app('exmc') {
        dataset 'apps/exmc'
        version '1.4.2'
        nodeName 'exmc@127.0.0.1'
    }

    snapshots {
        beforeDeploy true
        keep 5
    }
}
