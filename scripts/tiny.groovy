// A real Elixir release on the lab: Zed's test release "tiny" (spec/src/test/beam/tiny).
//   scripts/lab up                                            # forwards only SSH: checks run through it
//   scripts/lab.d/build-test-releases scripts/dist             # tiny 1.0.0, 1.0.1 and a broken 1.0.2
//   export RELEASE_COOKIE=$(head -c 16 /dev/urandom | base64)
//   scripts/zed run --lab scripts/tiny.groovy                  # dist/ beside this script is the release store
// Change the version to 1.0.1 and run again; 1.0.2 fails its health check and is rolled back.
deploy('tiny', pool: 'jeff') {
    dataset('apps/tiny') { compression 'lz4'; atime false }

    app('tiny') {
        dataset 'apps/tiny'
        version '1.0.0'
        nodeName 'tiny@127.0.0.1'
        cookie env('RELEASE_COOKIE')
        distPort 9100                                 // optional: health checks reach any port through SSH
        environment 'TINY_HTTP_IP', '127.0.0.1'       // the VM's loopback only: the http check runs from there
        environment 'TINY_HTTP_PORT', '9101'
        environment 'TINY_MIGRATION_LOG', '/jeff/apps/tiny/state/migrations.log'   // the app may write only its state/
        preCommand 'eval', 'Tiny.Migrate.run()'       // runs before the switch; a failure aborts the deploy
        health beamPing(timeout: 3000)
        health rpc(module: 'Elixir.Tiny', function: 'health', args: [], expect: 'ok', timeout: 3000)
        health http(url: 'http://127.0.0.1:9101/health', status: 200, timeout: 2000)
    }

    snapshots { beforeDeploy true; keep 5 }
}
