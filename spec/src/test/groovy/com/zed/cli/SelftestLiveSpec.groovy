package com.zed.cli

import com.zed.support.LabSpecification
import com.fasterxml.jackson.databind.ObjectMapper

/** `zed selftest --lab`: the README's main-job smoke, through the real CLI entry point. */
class SelftestLiveSpec extends LabSpecification {

    def "every step of the ZFS smoke passes on the lab and leaves no scratch dataset behind"() {
        when:
        def r = CliSpec.run('selftest', '--lab', '--pool', pool.value(), '--json')
        def json = new ObjectMapper().readValue(r.out as String, Map)

        then:
        r.code == 0
        json.failed == 0
        json.steps.size() >= 13
        json.steps.every { it.ok }
        json.commands > 20

        and:
        !zfs.properties(pool.root(), true).names().any { it.contains('zed-selftest') }
    }
}
