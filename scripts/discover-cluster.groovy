// A cluster whose hosts announce themselves over mDNS (docs/cluster.md, "Discovery"): one host written
// here, and every machine on the LAN that announces _zed._tcp with the label 'prod' (an Avahi service file
// /etc/avahi/services/zed.service with TXT user=, labels=, pool=). Their host keys must be in known_hosts.
//   scripts/zed discover --label prod                   # who answers, as this cluster would take them
//   scripts/zed diff scripts/discover-cluster.groovy     # browses 3 s, then plans every host
deploy('web', pool: 'tank') {
    dataset('apps/web') { compression 'lz4' }

    app('web') {
        dataset 'apps/web'
        version '2.1.0'
        nodeName 'web@127.0.0.1'
        cookie env('RELEASE_COOKIE')
        health beamPing()
    }

    cluster('web') {
        host 'web-0', ssh: 'deploy@10.30.0.10', labels: ['prod']
        discover labels: ['prod'], wait: 3000
        strategy 'one4rest'
        parallel 2
    }
}
