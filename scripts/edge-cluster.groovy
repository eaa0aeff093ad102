// An edge deployment across three hosts, with the app inside a FreeBSD jail on some hosts and an
// illumos zone on others. Grammar and model only today: `zed` validates it but does not converge
// jails, zones or clusters yet.
deploy('edge', pool: 'edge') {
    dataset('apps/gateway') {
        compression 'lz4'
        recordsize '64K'
    }
    dataset('jails/gw') {
        quota '20G'
    }
    dataset('zones/gw') {
        quota '20G'
    }

    app('gateway') {
        dataset 'apps/gateway'
        version '0.9.1'
        nodeName 'gateway@127.0.0.1'
        cookie env('EDGE_COOKIE')
        health beamPing()
        health http(url: 'http://127.0.0.1:8443/ready', status: 204, timeout: 1500)
    }

    jail('gw') {
        dataset 'jails/gw'
        contains 'gateway'
        param 'ip4.addr', '10.20.0.5'
        param 'host.hostname', 'gw.edge.example'
    }
    zone('gw') {
        dataset 'zones/gw'
        contains 'gateway'
        param 'brand', 'sparse'
        param 'ip-type', 'exclusive'
    }

    cluster('edge') {
        host 'fra', ssh: 'deploy@10.20.0.1', labels: ['prod', 'eu']
        host 'ams', ssh: 'deploy@10.20.0.2:2222'
        host 'lhr', ssh: 'deploy@10.20.0.3'
        strategy 'one4all'
        fallback 'rollback'
        parallel 2
    }

    snapshots {
        keep 3
    }
}
