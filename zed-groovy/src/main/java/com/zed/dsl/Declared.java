package com.zed.dsl;

import com.zed.model.Field;
import com.zed.model.SourceMap;
import com.zed.model.SourcePos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one block was given, verb by verb, with positions: handed to the {@link SourceMap} with the
 * model element the block builds. Blocks judge nothing; the Validator reads this.
 */
final class Declared {
    private final ScriptState state;
    final List<SourceMap.Declaration> list = new ArrayList<>();

    Declared(ScriptState state) {
        this.state = state;
    }

    /** Records {@code field} as written at {@code at} with {@code value}; true when it is the first time (the value to keep). */
    boolean add(Field field, SourcePos at, Object value) {
        boolean first = list.stream().noneMatch(d -> d.field().equals(field));
        list.add(new SourceMap.Declaration(field, at, value));
        return first;
    }

    /** Records the positional arguments of the call at {@code call} under {@code field}, with their names. */
    void args(Field field, SourcePos call, List<String> names, Object... values) {
        for (int i = 0; i < values.length; i++) {
            String name = i < names.size() ? names.get(i) : "arg" + (i + 1);
            list.add(new SourceMap.Declaration(field.arg(name), state.arg(call, i), values[i]));
        }
    }

    /** Records the named arguments of the call at {@code call} under {@code field}. */
    void named(Field field, SourcePos call, Map<String, Object> options) {
        options.forEach((k, v) -> list.add(new SourceMap.Declaration(field.arg(k), state.named(call, k), v)));
    }

    /** Hands everything recorded to the source map, for {@code element}. */
    <T> T to(T element) {
        state.sourceMap.declare(element, list);
        return element;
    }
}
