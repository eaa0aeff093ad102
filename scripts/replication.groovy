// Replication of a deploy's datasets to another pool (here the lab's second pool, `backup`).
//   scripts/lab up
//   scripts/zed run --lab scripts/replication.groovy          # creates jeff/apps/ledger, snapshots before each deploy
//   scripts/zed replicate --lab --to lab scripts/replication.groovy
// The first run sends the whole chain; later runs send only what is new (incremental, resumable).
// `--to lab` sends to the lab VM over a second SSH session; without it each block's `to` host is used
// (USER@HOST[:PORT]; ssh aliases are not resolved yet). See docs/replication.md.
deploy('ledger', pool: 'jeff') {
    dataset('apps/ledger') { compression 'lz4'; property 'com.example:team', 'payments' }

    snapshots { beforeDeploy true; keep 10 }

    replicate('apps/ledger') {
        to 'root@127.0.0.1:2222', dataset: 'backup/ledger'   // the DR host and the dataset there
        compressed true                                      // blocks stay lz4 on the wire
        keep 20                                              // the target keeps more history than the source
    }
}
