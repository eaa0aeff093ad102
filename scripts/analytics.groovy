// Analytics: an ingest pipeline and a query service on pool `tank`. Shows parent datasets whose
// properties children inherit, user properties, secrets by reference, every kind of health check,
// and plain Groovy (a loop) inside the grammar.
def owner = 'com.example:owner'

deploy('analytics', pool: 'tank') {
    dataset('analytics') {
        compression 'zstd'
        atime false
        property owner, 'data-platform'
    }
    dataset('analytics/ingest') {
        recordsize '1M'
        logbias 'throughput'
        quota '500G'
        property 'com.example:retention', '30d'
    }
    dataset('analytics/query') {
        recordsize '16K'
        primarycache 'all'
        refreservation '20G'
    }
    dataset('analytics/scratch') {
        sync 'disabled'
        compression 'lz4'
        quota '50G'
        snapdir 'hidden'
    }

    app('ingest') {
        dataset 'analytics/ingest'
        version '2.7.0'
        nodeName 'ingest@10.1.0.4'
        cookie file('/etc/zed/analytics.cookie')
        health beamPing(timeout: 3000)
        health rpc(module: 'ingest_sup', function: 'status', args: [], expect: 'ok', timeout: 2000)
    }
    app('query') {
        dataset 'analytics/query'
        version '2.7.0'
        nodeName 'query@10.1.0.4'
        cookie env('ANALYTICS_COOKIE')
        health http(url: 'http://10.1.0.4:8080/health')
        health tcp(host: '10.1.0.4', port: 8080)
    }

    // One small worker per shard; each gets a dataset of its own.
    dataset('analytics/workers')
    for (String shard in ['eu', 'us']) {
        dataset("analytics/workers/${shard}") {
            recordsize '128K'
            property 'com.example:shard', shard
        }
        app("worker-${shard}") {
            dataset "analytics/workers/${shard}"
            version '2.7.0'
            health tcp(host: '10.1.0.4', port: shard == 'eu' ? 9101 : 9102, timeout: 500)
        }
    }

    snapshots {
        beforeDeploy true
        keep 14
    }
}
