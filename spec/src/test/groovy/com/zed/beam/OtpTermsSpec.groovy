package com.zed.beam

import com.ericsson.otp.erlang.OtpErlangAtom
import com.ericsson.otp.erlang.OtpErlangBinary
import com.ericsson.otp.erlang.OtpErlangBoolean
import com.ericsson.otp.erlang.OtpErlangInt
import com.ericsson.otp.erlang.OtpErlangList
import com.ericsson.otp.erlang.OtpErlangLong
import com.ericsson.otp.erlang.OtpErlangString
import com.ericsson.otp.erlang.OtpErlangTuple
import spock.lang.Specification

/** Erlang term text <-> JInterface terms, and =:= equivalence, for rpc args and expectations. */
class OtpTermsSpec extends Specification {

    def "#text reads and prints back as #printed"() {
        expect:
        ErlangTerms.format(ErlangTerms.parse(text)) == printed

        where:
        text                              || printed
        'ok'                              || 'ok'
        "'exmc@127.0.0.1'"                || "'exmc@127.0.0.1'"
        'exmc@host'                       || 'exmc@host'
        "'Upper'"                         || "'Upper'"
        '-42'                             || '-42'
        '16#ff'                           || '255'
        '1_000_000'                       || '1000000'
        '123456789012345678901234567890'  || '123456789012345678901234567890'
        '$a'                              || '97'
        '1.5'                             || '1.5'
        '"abc"'                           || '"abc"'
        '""'                              || '[]'
        '"a\\"b\\n"'                      || '"a\\"b\\n"'
        '<<>>'                            || '<<>>'
        '<<"x">>'                         || '<<"x">>'
        '<<1,2,255>>'                     || '<<1,2,255>>'
        '<<"é"/utf8>>'                    || '<<"é"/utf8>>'
        '[]'                              || '[]'
        '[1, <<"x">>]'                    || '[1,<<"x">>]'
        '[a|b]'                           || '[a|b]'
        '[a|[b,c]]'                       || '[a,b,c]'
        '{}'                              || '{}'
        '{ok, {1, "two"}}'                || '{ok,{1,"two"}}'
        '#{a => 1, <<"k">> => [x]}'       || '#{a => 1,<<"k">> => [x]}'
        '  ok .  '                        || 'ok'
        'true'                            || 'true'
        "'and'"                           || "'and'"
    }

    def "#text is not a term: #why"() {
        when:
        ErlangTerms.parse(text)

        then:
        def e = thrown(ErlangTerms.ParseException)
        e.message.contains(why)

        where:
        text          || why
        ''            || 'expected a term but the text ended'
        '[1,2'        || "expected ']' but the text ended"
        'Var'         || 'variables are not terms'
        '{a b}'       || "expected '}'"
        '<<256>>'     || 'binary segments must be strings or integers 0..255'
        '<<"ā">>'     || '/utf8'
        '"open'       || 'unterminated string'
        'ok ok'       || "unexpected 'o' after the term"
        "'it''s'"     || "unexpected ''' after the term"
        '#{a}'        || "expected '=>'"
    }

    def "equivalence is Erlang's =:= over how JInterface happens to decode: #a vs #b"() {
        expect:
        ErlangTerms.equivalent(a, b) == same

        where:
        a                                                         | b                                        || same
        new OtpErlangString('abc')                                | ErlangTerms.parse('[97,98,99]')          || true
        new OtpErlangString('')                                   | ErlangTerms.parse('[]')                  || true
        new OtpErlangInt(6)                                       | ErlangTerms.parse('6')                   || true
        new OtpErlangLong(6)                                      | ErlangTerms.parse('6.0')                 || false
        new OtpErlangBoolean(true)                                | ErlangTerms.parse('true')                || true
        new OtpErlangAtom('ok')                                   | ErlangTerms.parse("'ok'")                || true
        new OtpErlangBinary('x'.bytes)                            | ErlangTerms.parse('"x"')                 || false
        tuple(new OtpErlangAtom('ok'), new OtpErlangString('hi')) | ErlangTerms.parse('{ok,[104,105]}')      || true
        new OtpErlangList(new OtpErlangString('a'))               | ErlangTerms.parse('[[97]]')              || true
        ErlangTerms.parse('#{a => "x"}')                          | ErlangTerms.parse('#{a => [120]}')       || true
        ErlangTerms.parse('[a|b]')                                | ErlangTerms.parse('[a,b]')               || false
    }

    def "long results are cut in reasons"() {
        expect:
        ErlangTerms.format(ErlangTerms.parse('"' + 'x' * 1000 + '"'), 20) == '"xxxxxxxxxxxxxxxxxxx...'
    }

    static OtpErlangTuple tuple(Object... elems) {
        new OtpErlangTuple(elems as com.ericsson.otp.erlang.OtpErlangObject[])
    }
}
