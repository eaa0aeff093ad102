package com.zed.dsl;

import com.zed.model.HealthCheckSpec;
import com.zed.model.Problem.Kind;
import com.zed.model.SecretRef;
import com.zed.model.Validator;
import groovy.lang.Closure;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.DynamicVariable;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCall;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.transform.stc.AbstractTypeCheckingExtension;
import org.codehaus.groovy.transform.stc.StaticTypeCheckingSupport;
import org.codehaus.groovy.transform.stc.StaticTypeCheckingVisitor;
import org.codehaus.groovy.transform.stc.StaticTypesMarker;
import org.codehaus.groovy.transform.stc.TypeCheckingContext;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The compile-time half of the DSL's checks, precompiled (a script extension would cost hundreds
 * of milliseconds per run). It rewords what the static type checker finds in the words of the
 * grammar — which block, which verb, what it expects — and checks that an app's literal dataset
 * was declared. The Validator still checks everything after evaluation.
 */
public class DslTypeChecker extends AbstractTypeCheckingExtension {
    /** ModuleNode metadata: source ranges of calls reported here; errors inside them are consequences. */
    static final String FAILED_RANGES = "zed.dsl.failedRanges";
    /**
     * ModuleNode metadata: "line:col" of every error this extension reported → its kind, which the
     * compiler's error list cannot carry. (Compile-time messages name their verb themselves, so
     * these problems have no separate field.)
     */
    static final String OWN_ERRORS = "zed.dsl.ownErrors";

    private final Set<ASTNode> quiet = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<String> declared = new LinkedHashSet<>();
    private boolean allDeclaredLiteral = true;
    private final Map<ConstantExpression, String> datasetRefs = new LinkedHashMap<>();
    private final Set<Expression> namedArgsChecked = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Expression> seenDatasetDecls = Collections.newSetFromMap(new IdentityHashMap<>());

    public DslTypeChecker(StaticTypeCheckingVisitor visitor) {
        super(visitor);
    }

    @Override
    public List<MethodNode> handleMissingMethod(ClassNode receiver, String name, ArgumentListExpression args,
                                                ClassNode[] argTypes, MethodCall call) {
        ASTNode node = (ASTNode) call;
        quiet.add(node);
        if (args.getExpressions().stream().anyMatch(quiet::contains)) {
            return List.of(makeDynamic(call)); // an argument was already reported
        }
        failed(node);
        boolean implicitThis = call instanceof MethodCallExpression m && m.isImplicitThis();
        Class<?> block = implicitThis ? currentBlock() : null;
        String msg;
        Kind kind = Kind.UNKNOWN_VERB;
        if (!implicitThis && name.equals("call") && call instanceof MethodCallExpression m
                && m.getObjectExpression() instanceof VariableExpression v && Blocks.verbs(currentBlock()).contains(v.getName())) {
            // `def version = '1'` then `version version`: Groovy calls the variable, not the verb
            msg = "'" + v.getName() + "' is a variable here, so it hides the setting " + v.getName()
                    + " — give the variable another name";
            kind = Kind.COLLISION;
        } else if (block != null && block != DeployScript.class && implicitThis
                && !Blocks.verbs(block).contains(name) && !getEnclosingClassNode().getMethods(name).isEmpty()) {
            // DELEGATE_ONLY: a block sees its own verbs, not the script's methods
            msg = name + " is a method of the script, which a block cannot call — compute the value before deploy"
                    + " (def value = " + name + "(...)) and use the variable inside the block";
        } else if (block != null && Blocks.verbs(block).contains(name)) {
            Said said = mismatch(block, name, args, argTypes);
            msg = said.message();
            kind = said.kind();
        } else if (block != null) {
            msg = unknownVerb(block, name);
        } else {
            msg = "'" + name + "' is not something " + a(typeName(receiver)) + " can do";
        }
        report(kind, msg, node);
        return List.of(makeDynamic(call));
    }

    @Override
    public boolean handleUnresolvedVariableExpression(VariableExpression vexp) {
        quiet.add(vexp);
        reportUnknownName(currentBlock(), vexp);
        makeDynamic(vexp);
        return true;
    }

    private void reportUnknownName(Class<?> block, VariableExpression v) {
        // `keep = 3` is a setting written wrong; anything else is a name the block does not know
        Kind kind = Blocks.verbs(block).contains(v.getName()) ? Kind.SYNTAX : Kind.UNKNOWN_VERB;
        report(kind, unknownName(block, v.getName()), v);
    }

    private static String unknownName(Class<?> block, String name) {
        String where = Blocks.name(block);
        if (Blocks.verbs(block).contains(name)) {
            return name + " is a setting, written without '=': " + usages(block, name).get(0);
        }
        if (List.of("on", "off", "yes", "no").contains(name)) {
            return "unknown name '" + name + "' in " + where + " — write true or false";
        }
        List<String> elsewhere = Blocks.blocksWith(name, block);
        if (!elsewhere.isEmpty()) {
            return "unknown name '" + name + "' in " + where + " — " + name + " is a setting of " + String.join(" or ", elsewhere);
        }
        return "unknown name '" + name + "' in " + where + didYouMean(name, Blocks.verbs(block));
    }

    /**
     * Groovy lets a closure read and write its delegate's fields, private ones too: {@code version}
     * alone or {@code version = '1'} would reach AppBlock's field and skip the verb. Refuse them.
     */
    @Override
    public void afterVisitMethod(MethodNode method) {
        if (method.getCode() == null) {
            return;
        }
        var blocks = new java.util.ArrayDeque<Class<?>>();
        blocks.push(DeployScript.class);
        method.getCode().visit(new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                call.getObjectExpression().visit(this);
                call.getMethod().visit(this);
                MethodNode target = call.getNodeMetaData(StaticTypesMarker.DIRECT_METHOD_CALL_TARGET);
                List<Expression> args = call.getArguments() instanceof TupleExpression a ? a.getExpressions() : List.of();
                for (int i = 0; i < args.size(); i++) {
                    Class<?> b = target == null ? null : delegateOf(target, i);
                    blocks.push(b != null ? b : blocks.peek());
                    args.get(i).visit(this);
                    blocks.pop();
                }
            }

            @Override
            public void visitVariableExpression(VariableExpression v) {
                if (v.getAccessedVariable() instanceof DynamicVariable && !quiet.contains(v)
                        && hasField(blocks.peek(), v.getName())) {
                    quiet.add(v);
                    reportUnknownName(blocks.peek(), v);
                }
            }
        });
    }

    /** The @DelegatesTo block of the closure parameter at {@code index}, if it is one of ours. */
    private static Class<?> delegateOf(MethodNode target, int index) {
        var params = target.getParameters();
        if (params.length == 0) {
            return null;
        }
        var p = params[Math.min(index, params.length - 1)];
        for (var an : p.getAnnotations()) {
            if (an.getClassNode().getName().equals(groovy.lang.DelegatesTo.class.getName())
                    && an.getMember("value") instanceof org.codehaus.groovy.ast.expr.ClassExpression ce) {
                return blockNamed(ce.getType().getName());
            }
        }
        return null;
    }

    private static boolean hasField(Class<?> block, String name) {
        for (Class<?> c = block; c != null && c.getPackage() == Blocks.class.getPackage(); c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void onMethodSelection(Expression expr, MethodNode target) {
        if (!(expr instanceof MethodCallExpression call) || target.getDeclaringClass() == null) {
            return;
        }
        String owner = target.getDeclaringClass().getName();
        Expression first = firstArg(call);
        checkNamedArgs(call, target, first);
        if (!target.getName().equals("dataset")) {
            return;
        }
        if (owner.equals(DeployBlock.class.getName())) {
            if (seenDatasetDecls.add(call)) {
                if (first instanceof ConstantExpression c && c.getValue() instanceof String s) {
                    declared.add(s);
                } else {
                    allDeclaredLiteral = false;
                }
            }
        } else if (owner.equals(AppBlock.class.getName())
                && first instanceof ConstantExpression c && c.getValue() instanceof String) {
            datasetRefs.putIfAbsent(c, enclosingAppName());
        }
    }

    /**
     * Unknown and missing named arguments, said with the verb and a suggestion. The checker's own
     * messages for these (without either) are dropped by CompileErrors; it still checks value types.
     */
    private void checkNamedArgs(MethodCallExpression call, MethodNode target, Expression first) {
        if (target.getParameters().length == 0 || !namedArgsChecked.add(call)) {
            return;
        }
        var declaredParams = new LinkedHashMap<String, Boolean>();
        var types = new java.util.HashMap<String, ClassNode>();
        for (var an : target.getParameters()[0].getAnnotations()) {
            if (an.getClassNode().getName().equals(groovy.transform.NamedParams.class.getName())
                    && an.getMember("value") instanceof org.codehaus.groovy.ast.expr.ListExpression list) {
                for (Expression e : list.getExpressions()) {
                    if (e instanceof org.codehaus.groovy.ast.expr.AnnotationConstantExpression ace
                            && ace.getValue() instanceof org.codehaus.groovy.ast.AnnotationNode np) {
                        Expression req = np.getMember("required");
                        String key = String.valueOf(((ConstantExpression) np.getMember("value")).getValue());
                        declaredParams.put(key, req instanceof ConstantExpression c && Boolean.TRUE.equals(c.getValue()));
                        if (np.getMember("type") instanceof org.codehaus.groovy.ast.expr.ClassExpression t) {
                            types.put(key, t.getType());
                        }
                    }
                }
            }
        }
        if (declaredParams.isEmpty()) {
            return;
        }
        String verb = target.getName();
        var given = new java.util.HashSet<String>();
        if (first instanceof MapExpression map) {
            for (var entry : map.getMapEntryExpressions()) {
                if (entry.getKeyExpression() instanceof ConstantExpression k) {
                    String key = String.valueOf(k.getValue());
                    given.add(key);
                    if (!declaredParams.containsKey(key)) {
                        var known = new java.util.TreeSet<String>(declaredParams.keySet());
                        String hint = didYouMean(key, known);
                        report(Kind.UNKNOWN_VERB, "unknown named argument " + key + ": for " + verb
                                + (hint.isEmpty() ? " (it takes " + String.join(": ", known) + ":)" : hint.replace("'?", ":'?")), entry);
                    } else if (types.containsKey(key)) {
                        ClassNode expected = types.get(key);
                        ClassNode actual = getType(entry.getValueExpression());
                        if (!StaticTypeCheckingSupport.isAssignableTo(ClassHelper.getWrapper(actual), expected)
                                && !(ClassHelper.isNumberType(ClassHelper.getUnwrapper(expected)) && ClassHelper.isNumberType(ClassHelper.getUnwrapper(actual)))) {
                            report(Kind.WRONG_TYPE, key + ": expects " + describe(expected.getTypeClass()) + ", got " + typeName(actual),
                                    entry.getValueExpression());
                        }
                    }
                }
            }
        }
        var missing = declaredParams.entrySet().stream().filter(e -> e.getValue() && !given.contains(e.getKey()))
                .map(e -> e.getKey() + ":").toList();
        if (!missing.isEmpty() && first instanceof MapExpression) {
            report(Kind.MISSING, verb + " needs " + String.join(", ", missing) + " — " + usages(target.getDeclaringClass().getTypeClass(), verb).get(0), call);
        }
    }

    @Override
    public void finish() {
        if (!allDeclaredLiteral) {
            return; // some dataset's name is computed: only the Validator, after evaluation, can tell
        }
        datasetRefs.forEach((literal, app) -> {
            String path = (String) literal.getValue();
            if (!declared.contains(path)) {
                report(Kind.UNKNOWN_REFERENCE, "app " + (app == null ? "" : "'" + app + "' ") + "uses dataset '" + path
                        + "', which is not declared" + Validator.suggest(path, declared), literal);
            }
        });
    }

    private void report(Kind kind, String message, ASTNode node) {
        addStaticTypeError(message, node);
        ownErrors().put(node.getLineNumber() + ":" + node.getColumnNumber(), kind);
    }

    private void failed(ASTNode node) {
        List<int[]> ranges = module().getNodeMetaData(FAILED_RANGES, k -> new ArrayList<int[]>());
        ranges.add(new int[] {node.getLineNumber(), node.getColumnNumber(), node.getLastLineNumber(),
                node.getLastColumnNumber()});
    }

    private Map<String, Kind> ownErrors() {
        return module().getNodeMetaData(OWN_ERRORS, k -> new LinkedHashMap<String, Kind>());
    }

    private ModuleNode module() {
        return context.getSource().getAST();
    }

    /** The block whose closure we are in: the nearest enclosing closure with delegation metadata. */
    private Class<?> currentBlock() {
        for (TypeCheckingContext.EnclosingClosure ec : getEnclosingClosureStack()) {
            Object md = ec.getClosureExpression().getNodeMetaData(StaticTypesMarker.DELEGATION_METADATA);
            if (md != null) {
                Class<?> b = blockNamed(delegateType(md));
                if (b != null) {
                    return b;
                }
            }
        }
        return DeployScript.class;
    }

    private static Class<?> blockNamed(String className) {
        for (Class<?> b : Blocks.NAMES.keySet()) {
            if (b.getName().equals(className) || className.equals(DeployScripts.SCRIPT_CLASS) && b == DeployScript.class) {
                return b;
            }
        }
        return null;
    }

    // DelegationMetadata is package-private in Groovy; its getType() is the @DelegatesTo type.
    private static final Method DELEGATE_TYPE;

    static {
        try {
            DELEGATE_TYPE = Class.forName("org.codehaus.groovy.transform.stc.DelegationMetadata").getMethod("getType");
            DELEGATE_TYPE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static String delegateType(Object metadata) {
        try {
            return ((ClassNode) DELEGATE_TYPE.invoke(metadata)).getName();
        } catch (ReflectiveOperationException e) {
            return "";
        }
    }

    private static String unknownVerb(Class<?> block, String name) {
        String msg = block == DeployScript.class
                ? "unknown verb '" + name + "' at the top of the script"
                : "unknown setting '" + name + "' in " + Blocks.name(block);
        List<String> elsewhere = Blocks.blocksWith(name, block);
        if (!elsewhere.isEmpty()) {
            return msg + " — " + name + " belongs in " + String.join(" or ", elsewhere);
        }
        return msg + didYouMean(name, Blocks.verbs(block));
    }

    /** A message and its kind. */
    private record Said(Kind kind, String message) { }

    private Said mismatch(Class<?> block, String name, ArgumentListExpression args, ClassNode[] argTypes) {
        List<Method> methods = Blocks.verbMethods(block).stream().filter(m -> m.getName().equals(name)).toList();
        boolean named = !args.getExpressions().isEmpty() && args.getExpression(0) instanceof MapExpression;
        for (Method m : methods) {
            var np = m.getParameterCount() > 0 ? m.getParameters()[0].getAnnotation(groovy.transform.NamedParams.class) : null;
            if (np != null && !named) {
                var required = java.util.Arrays.stream(np.value()).filter(groovy.transform.NamedParam::required)
                        .map(p -> p.value() + ":").toList();
                if (!required.isEmpty() && methods.size() == 1) {
                    return new Said(Kind.MISSING, name + " needs " + String.join(", ", required) + " — " + usages(block, name).get(0));
                }
            }
        }
        if (argTypes.length == 1 && methods.stream().allMatch(m -> m.getParameterCount() == 1)) {
            var expected = new TreeSet<String>();
            methods.forEach(m -> expected.add(describe(m.getParameterTypes()[0])));
            return new Said(Kind.WRONG_TYPE, name + " expects " + String.join(" or ", expected) + ", got " + typeName(argTypes[0]));
        }
        var got = new ArrayList<String>();
        for (ClassNode t : argTypes) {
            got.add(typeName(t));
        }
        return new Said(Kind.WRONG_TYPE, "wrong arguments for " + name + ": write " + String.join(" or ", usages(block, name))
                + " (got " + (got.isEmpty() ? "none" : String.join(", ", got)) + ")");
    }

    static List<String> usages(Class<?> block, String verb) {
        var out = new ArrayList<String>();
        for (Method m : Blocks.verbMethods(block)) {
            Usage u = m.getAnnotation(Usage.class);
            if (m.getName().equals(verb) && u != null) {
                out.add(u.value());
            }
        }
        if (out.isEmpty()) {
            out.add(verb + " ...");
        }
        return out;
    }

    static String didYouMean(String wrong, Set<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = Validator.distance(wrong.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best != null && bestD <= Math.max(2, wrong.length() / 3) ? " — did you mean '" + best + "'?" : "";
    }

    private static String describe(Class<?> t) {
        if (t == String.class) {
            return "a String";
        }
        if (t == int.class || t == Integer.class || t == long.class) {
            return "an int";
        }
        if (t == boolean.class) {
            return "a boolean (true or false)";
        }
        if (t == SecretRef.class) {
            return "a secret: env('NAME') or file('/path')";
        }
        if (t == HealthCheckSpec.class) {
            return "a health check: beamPing(...), rpc(...), http(...) or tcp(...)";
        }
        if (List.class.isAssignableFrom(t)) {
            return "a list ([...])";
        }
        if (t == String[].class) {
            return "one or more Strings";
        }
        if (Closure.class.isAssignableFrom(t)) {
            return "a { } block";
        }
        return a(t.getSimpleName());
    }

    /** The type as a user reads it: "String" for GStrings too, "a { } block" for closures. */
    static String typeName(ClassNode t) {
        String n = t.getNameWithoutPackage();
        if (n.equals("GString") || n.equals("GStringImpl")) {
            return "String";
        }
        if (n.equals("Closure")) {
            return "a { } block";
        }
        if (n.equals("LinkedHashMap") || n.equals("Map")) {
            return "named arguments";
        }
        if (n.equals("Integer")) {
            return "int";
        }
        if (n.equals("Boolean")) {
            return "boolean";
        }
        if (n.equals(DeployScripts.SCRIPT_CLASS)) {
            return "the script";
        }
        return n;
    }

    private static String a(String noun) {
        return noun.startsWith("the ") ? noun : ("AEIOU".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static Expression firstArg(MethodCallExpression call) {
        if (call.getArguments() instanceof TupleExpression a && !a.getExpressions().isEmpty()) {
            return a.getExpression(0);
        }
        return null;
    }

    private String enclosingAppName() {
        for (Expression e : getEnclosingMethodCalls()) {
            if (e instanceof MethodCallExpression m && "app".equals(m.getMethodAsString())
                    && firstArg(m) instanceof ConstantExpression c && c.getValue() instanceof String s) {
                return s;
            }
        }
        return null;
    }
}
