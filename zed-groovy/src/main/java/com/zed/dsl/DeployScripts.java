package com.zed.dsl;

import com.zed.model.Deployment;
import com.zed.model.Field;
import com.zed.model.InvalidDeploymentException;
import com.zed.model.Problem;
import com.zed.model.SourcePos;
import com.zed.model.Validator;
import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.transform.TypeChecked;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Loads a deploy script into a {@link Deployment}: compiles it with static type checking against
 * the grammar, runs it, builds the model and validates it. Every mistake — syntax, types, values,
 * references — comes back as an {@link InvalidDeploymentException} listing each {@link Problem}
 * with its {@code file:line:col}; never as a Groovy stack trace.
 */
public final class DeployScripts {
    /** The name of the class a script compiles to; it never appears in a message. */
    static final String SCRIPT_CLASS = "ZedDeployScript";

    private DeployScripts() {
    }

    /** Reads, compiles, runs and validates {@code file}; positions name it as given. */
    public static Deployment load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidDeploymentException(List.of(new Problem(new SourcePos(file.toString(), 0, 0), Field.NONE,
                    Problem.Kind.UNREADABLE, "no such deploy script")));
        } catch (IOException e) {
            throw new InvalidDeploymentException(List.of(new Problem(new SourcePos(file.toString(), 0, 0), Field.NONE,
                    Problem.Kind.UNREADABLE, "cannot read the deploy script: " + e.getMessage())));
        }
        return parse(file.toString(), text);
    }

    /** Compiles, runs and validates a script's {@code text}; {@code fileName} is what positions show. */
    public static Deployment parse(String fileName, String text) {
        var positions = new VerbPositions();
        Class<?> scriptClass;
        try (var loader = new GroovyClassLoader(DeployScripts.class.getClassLoader(), config(positions))) {
            scriptClass = loader.parseClass(new GroovyCodeSource(text, SCRIPT_CLASS + ".groovy", "/zed/script"), false);
        } catch (MultipleCompilationErrorsException e) {
            throw new InvalidDeploymentException(CompileErrors.problems(fileName, text, e, positions.module));
        } catch (CompilationFailedException e) {
            throw new InvalidDeploymentException(List.of(new Problem(new SourcePos(fileName, 1, 1), Field.NONE,
                    Problem.Kind.SYNTAX, CompileErrors.clean(e.getMessage()))));
        } catch (IOException e) {
            throw new IllegalStateException(e); // closing an in-memory class loader
        }
        return run(fileName, text, scriptClass, positions);
    }

    private static CompilerConfiguration config(VerbPositions positions) {
        var cc = new CompilerConfiguration();
        cc.setScriptBaseClass(DeployScript.class.getName());
        cc.addCompilationCustomizers(positions, new ASTTransformationCustomizer(
                Map.of("extensions", List.of(DslTypeChecker.class.getName())), TypeChecked.class));
        return cc;
    }

    private static Deployment run(String fileName, String text, Class<?> scriptClass, VerbPositions positions) {
        var state = new ScriptState(fileName, scriptClass.getName(), positions);
        Problem failure = null;
        try {
            var script = (DeployScript) scriptClass.getDeclaredConstructor().newInstance();
            script.setBinding(new Binding());
            script.zedState = state;
            script.run();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate a compiled deploy script", e);
        } catch (Throwable t) { // whatever the script itself threw: a problem at its line
            failure = RuntimeErrors.problem(fileName, text, state, t);
        }
        var problems = new ArrayList<>(state.problems);
        if (failure != null) {
            problems.add(failure);
        } else if (state.deploy == null) {
            problems.add(new Problem(new SourcePos(fileName, 1, 1), Field.of("deploy"), Problem.Kind.MISSING,
                    "the script declares no deploy; expected deploy('name', pool: 'tank') { ... }"));
        }
        Deployment d = state.deploy == null || failure != null ? null : state.deploy.build();
        if (d != null) {
            problems.addAll(Validator.validate(d, state.sourceMap));
        }
        if (!problems.isEmpty()) {
            throw new InvalidDeploymentException(sorted(problems));
        }
        return d;
    }

    static List<Problem> sorted(List<Problem> problems) {
        var seen = new HashSet<String>();
        var out = new ArrayList<Problem>();
        for (Problem p : problems) {
            if (seen.add(p.toString())) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingInt((Problem p) -> p.pos().line()).thenComparingInt(p -> p.pos().column()));
        return out;
    }
}
