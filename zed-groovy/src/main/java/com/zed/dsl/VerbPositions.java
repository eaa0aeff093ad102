package com.zed.dsl;

import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records, at compile time, the column of every implicit-this call by (line, verb). Bytecode
 * only carries line numbers; at run time a verb finds its line on the stack and its column here.
 */
final class VerbPositions extends CompilationCustomizer {
    /** "line:verb" → columns in source order (a line may hold the same verb twice). */
    private final Map<String, List<Integer>> columns = new HashMap<>();
    /** The script's AST, where the type checker leaves what it reported. */
    ModuleNode module;

    VerbPositions() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        module = source.getAST();
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                if (call.isImplicitThis() && call.getLineNumber() > 0) {
                    String verb = call.getMethodAsString();
                    if (verb != null) {
                        columns.computeIfAbsent(call.getLineNumber() + ":" + verb, k -> new ArrayList<>())
                                .add(call.getColumnNumber());
                    }
                }
                super.visitMethodCallExpression(call);
            }
        }.visitClass(classNode);
        columns.values().forEach(l -> l.sort(null));
    }

    /** Column of the {@code nth} call of {@code verb} on {@code line} (wrapping for loops); 1 if unknown. */
    int column(int line, String verb, int nth) {
        List<Integer> cols = columns.get(line + ":" + verb);
        return cols == null || cols.isEmpty() ? 1 : cols.get(nth % cols.size());
    }
}
