package com.zed.cli

import com.zed.support.LabSpecification
import com.zed.zfs.DatasetName
import com.zed.zfs.DestroyMode
import spock.lang.Shared
import spock.lang.Stepwise

import java.nio.file.Files
import java.nio.file.Path

/**
 * scripts/trading.groovy — the README's main job — on the lab's pool `jeff`: converges from
 * empty, a second run changes nothing, and `zed rollback` undoes a later deploy.
 */
@Stepwise
class ExampleScriptLiveSpec extends LabSpecification {
    @Shared Path trading = Path.of(System.getProperty('zed.repo', '..'), 'scripts', 'trading.groovy').toAbsolutePath()
    @Shared DatasetName apps = DatasetName.of('jeff/apps')
    @Shared Path bumped

    def setupSpec() {
        // The example owns jeff/apps in the lab: start from empty.
        if (zfs.exists(apps.value())) {
            releaseAllHolds(apps)
            zfs.destroy(apps, DestroyMode.RECURSIVE_AND_CLONES)
        }
        bumped = Files.createTempFile('trading-bumped', '.groovy')
        Files.writeString(bumped, Files.readString(trading).replace("version '1.4.2'", "version '1.4.3'").replace("compression 'lz4'", "compression 'zstd'"))
    }

    def cleanupSpec() {
        if (zfs != null && zfs.exists(apps.value())) {
            releaseAllHolds(apps)
            zfs.destroy(apps, DestroyMode.RECURSIVE_AND_CLONES)
        }
        Files.deleteIfExists(bumped)
    }

    def "zed run scripts/trading.groovy converges the lab pool from empty"() {
        when:
        def r = CliSpec.run('run', '--lab', trading.toString())
        def t = zfs.properties(DatasetName.of('jeff/apps/exmc'), false)

        then:
        r.code == 0
        r.out.contains('+ dataset jeff/apps/exmc')
        t.value('jeff/apps/exmc', 'com.zed:version').get() == '1.4.2'
        t.value('jeff/apps/exmc', 'compression').get() == 'lz4'
        t.value('jeff/apps/exmc', 'quota').get() == '10737418240'
        t.value('jeff/apps/exmc', 'atime').get() == 'off'
        t.value('jeff/apps/exmc', 'com.example:team').get() == 'trading'
    }

    def "a second run reports no changes"() {
        when:
        def r = CliSpec.run('run', '--lab', trading.toString())

        then:
        r.code == 0
        r.out.startsWith("No changes: pool 'jeff' matches deploy 'trading'.")
    }

    def "a later deploy, then zed rollback, brings back the state of trading.groovy"() {
        when:
        def up = CliSpec.run('run', '--lab', bumped.toString())

        then:
        up.code == 0
        up.out.contains('~ app exmc 1.4.2 → 1.4.3')
        CliSpec.run('diff', '--lab', '--detailed-exitcode', trading.toString()).code == Main.CHANGES

        when:
        def back = CliSpec.run('rollback', '--lab', trading.toString())

        then:
        back.code == 0
        CliSpec.run('diff', '--lab', '--detailed-exitcode', trading.toString()).code == 0
        zfs.properties(DatasetName.of('jeff/apps/exmc'), false).value('jeff/apps/exmc', 'com.zed:version').get() == '1.4.2'
    }
}
