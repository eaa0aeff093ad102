package com.zed.dsl

import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path

/** The reference and the IDE files name every verb the grammar has. */
class DslDocsSpec extends Specification {
    static Path repo = Path.of(System.getProperty('zed.repo', '..'))

    def "docs/dsl.md documents every verb of #blockName"() {
        given:
        def doc = Files.readString(repo.resolve('docs/dsl.md'))

        expect:
        Blocks.verbs(block).findAll { !doc.contains("`$it`") }.toList() == []

        where:
        block << Blocks.NAMES.keySet().toList()
        blockName = Blocks.name(block)
    }

    def "the IDE files contribute the script's top-level verbs and every block class"() {
        given:
        def gdsl = Files.readString(repo.resolve('docs/ide/zed.gdsl'))
        def dsld = Files.readString(repo.resolve('docs/ide/zed.dsld'))

        expect:
        [gdsl, dsld].every { f -> Blocks.verbs(DeployScript).every { f.contains("name: '$it'") } }
        [gdsl, dsld].every { f -> (Blocks.NAMES.keySet() - DeployScript).every { f.contains(it.name) } }
        [gdsl, dsld].every { f -> f.contains(DeployScript.name) }
    }
}
