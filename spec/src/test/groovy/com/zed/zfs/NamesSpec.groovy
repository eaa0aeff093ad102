package com.zed.zfs

import spock.lang.Specification

class NamesSpec extends Specification {

    def "accepts valid dataset name '#name'"() {
        expect:
        DatasetName.of(name).value() == name

        where:
        name << ['jeff', 'jeff/apps', 'jeff/apps/exmc', 'tank/a-b_c.d:e', 'Tank9/X', 'jeff/' + 'a' * 250,
                 'jeff/1.4.2', 'jeff/.hidden', 'jeff/a..b']
    }

    def "rejects dataset name '#display' because #why"() {
        when:
        DatasetName.of(name)

        then:
        def e = thrown(InvalidNameException)
        e.message.contains(reason)
        e.kind() == 'dataset'

        where:
        name                                | reason                                  | why
        ''                                  | 'empty'                                 | 'it is empty'
        '/jeff/apps'                        | "must not start with '/'"               | 'a mountpoint is not a name'
        'jeff/apps/'                        | "must not end with '/'"                 | 'trailing slash'
        'jeff//apps'                        | 'empty component 2'                     | 'double slash'
        'jeff/ap ps'                        | "' ' (space)"                           | 'Zed refuses spaces'
        'jeff/äpps'                         | "'ä' (U+00E4)"                          | 'unicode'
        'jeff/a\nb'                         | 'U+000A (control)'                      | 'newline'
        'jeff/a\tb'                         | 'U+0009 (control)'                      | 'tab'
        'jeff/a;rm -rf x'                   | "';'"                                   | 'shell metacharacter'
        'jeff/$(reboot)'                    | "'\$'"                                  | 'command substitution'
        '-o'                                | 'must begin with a letter'              | 'option injection as the pool'
        '-omountpoint=x'                    | 'must begin with a letter'              | 'option injection with value'
        'jeff/apps@snap'                    | "'@' belongs only in snapshot names"    | 'a snapshot is not a dataset'
        'jeff/apps#mark'                    | "'#' belongs only in bookmark names"    | 'a bookmark is not a dataset'
        'jeff/.'                            | "cannot be '.'"                         | 'dot component'
        'jeff/..'                           | "cannot be '..'"                        | 'dotdot component'
        'jeff/' + 'a' * 251                 | 'longer than 255 characters (256)'      | 'too long (256)'
        'jeff/' + 'a' * 400                 | 'longer than 255 characters'            | 'far too long'
        'mirror'                            | "reserved word 'mirror'"                | 'vdev keyword as pool'
        'raidz1/x'                          | "reserved word 'raidz'"                 | 'vdev keyword prefix'
        'log'                               | "'log' is reserved"                     | 'log is reserved'
        'c0t0d0'                            | 'device name'                           | 'looks like a Solaris device'
        '1pool'                             | 'must begin with a letter'              | 'pool starts with a digit'
        'jeff/a%b'                          | "'%'"                                   | 'percent is for hidden datasets'
        'jeff/a*'                           | "'*'"                                   | 'glob'
        display = name.length() > 40 ? name.take(20) + "…(${name.length()})" : name.replace('\n', '\\n').replace('\t', '\\t')
    }

    def "a dataset component may start with a dash, since it is never the first argument word"() {
        // 'jeff/-o' is a legal ZFS name; it cannot be read as an option because it starts with the pool.
        expect:
        DatasetName.of('jeff/-o').value() == 'jeff/-o'
    }

    def "snapshot name '#name' is #verdict"() {
        when:
        def ok = true
        String message = null
        try {
            SnapshotName.of(name)
        } catch (InvalidNameException e) {
            ok = false
            message = e.message
        }

        then:
        ok == valid
        valid || message.contains(reason)

        where:
        name                         | valid | reason
        'jeff/apps@zed-20261123'     | true  | null
        'jeff@s1'                    | true  | null
        'jeff/apps@a:b.c_d-e'        | true  | null
        'jeff/apps'                  | false | "needs '@'"
        'jeff/apps@'                 | false | 'empty snapshot part'
        '@snap'                      | false | 'dataset part: empty'
        'jeff/apps@a@b'              | false | "more than one '@'"
        'jeff/apps@a/b'              | false | "'/' is not allowed after '@'"
        'jeff/apps@a#b'              | false | "'#' is not allowed"
        'jeff/apps@a b'              | false | 'space'
        'jeff/apps@-r'               | true  | null
        'jeff/ap ps@a'               | false | 'space'
        'jeff/apps@' + 'x' * 246     | false | 'longer than 255'
        'jeff/apps@snäp'             | false | 'U+00E4'
        verdict = valid ? 'valid' : 'invalid'
    }

    def "bookmark names follow the same rules with '#'"() {
        expect:
        BookmarkName.of('jeff/apps#b1').dataset() == DatasetName.of('jeff/apps')

        when:
        BookmarkName.of(bad)

        then:
        thrown(InvalidNameException)

        where:
        bad << ['jeff/apps', 'jeff/apps#', 'jeff/apps#a#b', 'jeff/apps@s#b', 'jeff/apps#a b']
    }

    def "property name '#name' is #verdict"() {
        when:
        def p = null
        String message = null
        try {
            p = PropertyName.of(name)
        } catch (InvalidNameException e) {
            message = e.message
        }

        then:
        (p != null) == valid
        valid || message.contains(reason)
        !valid || p.isUser() == user

        where:
        name                        | valid | user  | reason
        'compression'               | true  | false | null
        'special_small_blocks'      | true  | false | null
        'com.zed:version'           | true  | true  | null
        'com.zed:deployed-at'       | true  | true  | null
        'org.example:a.b_c-d'       | true  | true  | null
        'Compression'               | false | false | "'C'"
        'com.zed:Version'           | false | true  | "'V'"
        'com.zed:ver sion'          | false | true  | 'space'
        'com.zed:ver=sion'          | false | true  | "'='"
        'atime=off'                 | false | false | "'='"
        '-o'                        | false | false | "must not start with '-'"
        '-ocompression=off'         | false | false | "must not start with '-'"
        ':version'                  | false | true  | 'needs a module'
        'a-b'                       | false | false | "user properties need ':'"
        ''                          | false | false | 'empty'
        'com.zed:' + 'x' * 248      | false | true  | 'longer than 255'
        'com.zed:värsion'           | false | true  | 'U+00E4'
        verdict = valid ? 'valid' : 'invalid'
    }

    def "Zed's own properties live in the com.zed: namespace"() {
        expect:
        PropertyName.zed('version').value() == 'com.zed:version'
        PropertyName.zed('version').isZed()
        !PropertyName.of('org.other:version').isZed()
    }

    def "property value '#shown' is #verdict"() {
        expect:
        (PropertyName.zed('note').valueProblem(value) == null) == valid

        where:
        value                   | valid
        '1.4.2'                 | true
        'any text, even ; $()'  | true
        ''                      | true
        'a\nb'                  | false
        'a\tb'                  | false
        'x' * 8191              | true
        'x' * 8192              | false
        shown = value.length() > 20 ? "${value.length()} chars" : value.replace('\n', '\\n').replace('\t', '\\t')
        verdict = valid ? 'accepted' : 'rejected'
    }

    def "names know their parts"() {
        given:
        def ds = DatasetName.of('jeff/apps/exmc')

        expect:
        ds.pool() == PoolName.of('jeff')
        ds.parent().get() == DatasetName.of('jeff/apps')
        !ds.isPoolRoot()
        DatasetName.of('jeff').isPoolRoot()
        ds.snapshot('s1').dataset() == ds
        ds.snapshot('s1').shortName() == 's1'
        DatasetName.of('jeff/apps').contains(ds)
        !DatasetName.of('jeff/app').contains(ds)
    }
}
