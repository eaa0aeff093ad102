package com.zed.dsl;

import groovy.lang.Closure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The grammar's blocks by the name users see, and the verbs each one accepts. */
final class Blocks {
    /** Block class → how messages name it. Order: where a misplaced verb "belongs" is looked up in this order. */
    static final Map<Class<?>, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put(DeployScript.class, "the script");
        NAMES.put(DeployBlock.class, "deploy { }");
        NAMES.put(DatasetBlock.class, "dataset { }");
        NAMES.put(AppBlock.class, "app { }");
        NAMES.put(SnapshotsBlock.class, "snapshots { }");
        NAMES.put(JailBlock.class, "jail { }");
        NAMES.put(ZoneBlock.class, "zone { }");
        NAMES.put(ClusterBlock.class, "cluster { }");
        NAMES.put(ReplicateBlock.class, "replicate { }");
    }

    private Blocks() {
    }

    static String name(Class<?> block) {
        return NAMES.getOrDefault(block, block.getSimpleName());
    }

    /** The DSL verbs of a block: its public instance methods declared in this package. */
    static TreeSet<String> verbs(Class<?> block) {
        var out = new TreeSet<String>();
        for (Method m : verbMethods(block)) {
            out.add(m.getName());
        }
        return out;
    }

    static List<Method> verbMethods(Class<?> block) {
        return java.util.Arrays.stream(block.getMethods())
                .filter(m -> m.getDeclaringClass().getPackage() == Blocks.class.getPackage())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge())
                .toList();
    }

    /** Blocks other than {@code except} that have {@code verb}. */
    static List<String> blocksWith(String verb, Class<?> except) {
        return NAMES.entrySet().stream()
                .filter(e -> e.getKey() != except && verbs(e.getKey()).contains(verb))
                .map(Map.Entry::getValue).toList();
    }

    /** Runs a block body against its delegate only: what the compile-time check assumed. */
    static void run(Closure<?> body, Object delegate) {
        if (body == null) {
            return;
        }
        Closure<?> c = (Closure<?>) body.clone();
        c.setResolveStrategy(Closure.DELEGATE_ONLY);
        c.setDelegate(delegate);
        c.call();
    }
}
