package com.zed.dsl;

import com.zed.model.Field;
import com.zed.model.Problem;
import com.zed.model.SourcePos;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/** Turns whatever a script threw while running into a Problem at the script line that threw it. */
final class RuntimeErrors {
    private RuntimeErrors() {
    }

    static Problem problem(String fileName, String text, ScriptState state, Throwable thrown) {
        Throwable t = unwrap(thrown);
        int line = 0;
        for (Throwable c = t; c != null && line == 0; c = c.getCause()) {
            for (StackTraceElement e : c.getStackTrace()) {
                if (state.isScriptClass(e.getClassName()) && e.getLineNumber() > 0) {
                    line = e.getLineNumber();
                    break;
                }
            }
        }
        if (line == 0) {
            line = 1;
        }
        return new Problem(new SourcePos(fileName, line, firstColumn(text, line)), Field.of("script"), Problem.Kind.SCRIPT_FAILED,
                describe(t));
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof InvocationTargetException || t instanceof org.codehaus.groovy.runtime.InvokerInvocationException
                || t.getClass() == RuntimeException.class && t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** "the script failed (division by zero)": the kind of failure in words, and its message. */
    static String describe(Throwable t) {
        String kind = words(t.getClass().getSimpleName());
        String msg = t.getMessage();
        if (t instanceof ArithmeticException && msg != null) {
            return "the script failed: " + msg.toLowerCase(Locale.ROOT);
        }
        if (t instanceof StackOverflowError) {
            return "the script failed: endless recursion (stack overflow)";
        }
        return "the script failed (" + kind + ")" + (msg == null || msg.isBlank() ? "" : ": " + CompileErrors.clean(msg));
    }

    /** IllegalStateException → "illegal state"; RuntimeException → "runtime error". */
    private static String words(String simpleName) {
        String base = simpleName.replaceAll("(Exception|Error|Throwable)$", "");
        String w = base.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return w.isEmpty() || w.equals("runtime") ? "runtime error" : w;
    }

    private static int firstColumn(String text, int line) {
        String[] lines = text.split("\n", -1);
        if (line < 1 || line > lines.length) {
            return 1;
        }
        String l = lines[line - 1];
        int i = 0;
        while (i < l.length() && Character.isWhitespace(l.charAt(i))) {
            i++;
        }
        return i + 1;
    }
}
