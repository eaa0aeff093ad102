package com.zed.model;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a script wrote for each model element: every setting ({@link Field}) in source order, with
 * its position and the value as written. A DSL fills one while a script runs; the
 * {@link Validator} uses it to point a problem at the verb or argument that caused it, and to
 * check what the model cannot hold (a setting written twice, a name or duration that does not
 * parse). A model built in code has none ({@link #empty()}).
 *
 * <p>Elements are the model's records, looked up by identity: two apps built by one loop are equal
 * as values but were written separately.
 */
public final class SourceMap {

    /** One setting as written: where, and the raw value (a String, a number, a list; null when null was written). */
    public record Declaration(Field field, SourcePos pos, Object value) { }

    private final Map<Object, List<Declaration>> byElement = new IdentityHashMap<>();

    public static SourceMap empty() {
        return new SourceMap();
    }

    /** Records what was written for {@code element}, after anything recorded before. */
    public void declare(Object element, List<Declaration> declarations) {
        byElement.computeIfAbsent(element, k -> new ArrayList<>()).addAll(declarations);
    }

    public List<Declaration> declarations(Object element) {
        return List.copyOf(byElement.getOrDefault(element, List.of()));
    }

    /** Every declaration of exactly {@code field}, in source order. */
    public List<Declaration> declarations(Object element, Field field) {
        return byElement.getOrDefault(element, List.of()).stream().filter(d -> d.field().equals(field)).toList();
    }

    /** Where {@code field} (or, failing that, its parent) was first written. */
    public Optional<SourcePos> find(Object element, Field field) {
        for (Field f = field; ; f = f.parent()) {
            var ds = declarations(element, f);
            if (!ds.isEmpty()) {
                return Optional.of(ds.get(0).pos());
            }
            if (f.parent().equals(f)) {
                return Optional.empty();
            }
        }
    }
}
