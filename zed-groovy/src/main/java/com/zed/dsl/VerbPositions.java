package com.zed.dsl;

import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.NamedArgumentListExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records, at compile time, the column of every implicit-this call by (line, verb), and where each
 * of its arguments starts. Bytecode only carries line numbers; at run time a verb finds its line on
 * the stack and its column here, and the positions of its arguments by its own.
 */
final class VerbPositions extends CompilationCustomizer {
    /** "line:verb" → columns in source order (a line may hold the same verb twice). */
    private final Map<String, List<Integer>> columns = new HashMap<>();
    /** "line:col" of a call → where its arguments start. */
    private final Map<String, Args> args = new HashMap<>();
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
                        args.put(call.getLineNumber() + ":" + call.getColumnNumber(), args(call));
                    }
                }
                super.visitMethodCallExpression(call);
            }
        }.visitClass(classNode);
        columns.values().forEach(l -> l.sort(null));
    }

    /** Positions ({line, col}) of a call's positional arguments in order, and of its named arguments' values by name. */
    record Args(List<int[]> positional, Map<String, int[]> named) {
        static final Args NONE = new Args(List.of(), Map.of());
    }

    private static Args args(MethodCallExpression call) {
        var positional = new ArrayList<int[]>();
        var named = new HashMap<String, int[]>();
        List<Expression> exprs = call.getArguments() instanceof TupleExpression t ? t.getExpressions() : List.of();
        for (Expression e : exprs) {
            // Named arguments come as one map, first (Groovy moves them there even when written last).
            if (e instanceof NamedArgumentListExpression || e instanceof MapExpression && e == exprs.get(0) && exprs.size() > 1) {
                for (MapEntryExpression entry : ((MapExpression) e).getMapEntryExpressions()) {
                    Expression v = entry.getValueExpression();
                    named.put(entry.getKeyExpression().getText(), new int[] {v.getLineNumber(), v.getColumnNumber()});
                }
            } else {
                positional.add(new int[] {e.getLineNumber(), e.getColumnNumber()});
            }
        }
        return new Args(positional, named);
    }

    /** The arguments of the call at {@code line:column}. */
    Args args(int line, int column) {
        return args.getOrDefault(line + ":" + column, Args.NONE);
    }

    /** Column of the {@code nth} call of {@code verb} on {@code line} (wrapping for loops); 1 if unknown. */
    int column(int line, String verb, int nth) {
        List<Integer> cols = columns.get(line + ":" + verb);
        return cols == null || cols.isEmpty() ? 1 : cols.get(nth % cols.size());
    }
}
