package com.zed.support

import com.zed.zfs.DatasetName
import com.zed.zfs.PropertyName

/**
 * The InMemoryZfs scenarios on real OpenZFS in the lab: what real ZFS observes must equal what
 * InMemoryZfs observes (names relative to each run's base, so both compare as plain maps).
 */
class InMemoryZfsLiveSpec extends LabSpecification {

    InMemoryZfsScenarios.Host real(String scenario) {
        def base = root.child(scenario.replace(' ', '-'))
        zfs.create(base, [:], false)
        def file = { DatasetName ds ->
            zfs.properties(ds.value(), [PropertyName.of('mountpoint')]).value(ds.value(), 'mountpoint').get() + '/data'
        }
        new InMemoryZfsScenarios.Host(zfs: zfs, base: base,
                write: { DatasetName ds, String text -> write(file(ds), text) },
                read: { DatasetName ds -> read(file(ds)) ?: '' })
    }

    InMemoryZfsScenarios.Host memory(String scenario) {
        def mem = new InMemoryZfs(pool.value())
        def base = root.child(scenario.replace(' ', '-'))
        mem.create(base, [:], true)
        new InMemoryZfsScenarios.Host(zfs: mem, base: base,
                write: { DatasetName ds, String text -> mem.write(ds, text) },
                read: { DatasetName ds -> mem.data(ds) })
    }

    def "scenario '#name': InMemoryZfs observes what real OpenZFS does"() {
        when:
        def onZfs = InMemoryZfsScenarios.run(name, real(name))
        def inMemory = InMemoryZfsScenarios.run(name, memory(name))

        then:
        inMemory == onZfs

        and: 'and the fast spec states the same facts'
        InMemoryZfsSpec.EXPECTED[name] == onZfs

        where:
        name << InMemoryZfsScenarios.NAMES
    }
}
