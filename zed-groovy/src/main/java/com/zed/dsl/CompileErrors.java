package com.zed.dsl;

import com.zed.model.Field;
import com.zed.model.Problem;
import com.zed.model.Problem.Kind;
import com.zed.model.SourcePos;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the compiler's errors into one-line Problems in the grammar's words, at file:line:col. */
final class CompileErrors {
    private static final String STC = "[Static type checking] - ";

    private CompileErrors() {
    }

    static List<Problem> problems(String fileName, String text, MultipleCompilationErrorsException e, ModuleNode module) {
        var out = new ArrayList<Problem>();
        for (Message m : e.getErrorCollector().getErrors()) {
            if (m instanceof SyntaxErrorMessage sm) {
                SyntaxException se = sm.getCause();
                int line = Math.max(1, se.getStartLine());
                int col = Math.max(1, se.getStartColumn());
                if (module != null && consequence(module, line, col)) {
                    continue;
                }
                String raw = se.getOriginalMessage().strip();
                if (DROPPED.matcher(raw).find()) {
                    continue; // DslTypeChecker reports these with the verb and a suggestion
                }
                Map<String, Kind> ownErrors = module == null ? null : module.getNodeMetaData(DslTypeChecker.OWN_ERRORS);
                Kind own = ownErrors == null ? null : ownErrors.get(line + ":" + col);
                var pos = new SourcePos(fileName, line, col);
                if (own != null) {
                    out.add(new Problem(pos, Field.NONE, own, raw.replace(STC, "")));
                } else if (raw.startsWith("Unexpected ")) {
                    out.add(new Problem(pos, Field.NONE, Kind.SYNTAX, syntax(raw, charAt(text, line, col))));
                } else {
                    out.add(translate(pos, raw));
                }
            } else if (m instanceof ExceptionMessage em) {
                out.add(new Problem(new SourcePos(fileName, 1, 1), Field.NONE, Kind.SYNTAX, clean(String.valueOf(em.getCause().getMessage()))));
            } else if (m instanceof SimpleMessage sm) {
                out.add(new Problem(new SourcePos(fileName, 1, 1), Field.NONE, Kind.SYNTAX, clean(sm.getMessage())));
            }
        }
        if (out.isEmpty()) {
            out.add(new Problem(new SourcePos(fileName, 1, 1), Field.NONE, Kind.SYNTAX, "the script does not compile"));
        }
        return DeployScripts.sorted(out);
    }

    /** The parser's "Unexpected input" quotes the rest of the block; say what is at the position instead. */
    private static String syntax(String raw, char at) {
        if (raw.startsWith("Unexpected character: '\\''") || raw.startsWith("Unexpected character: '\"'")) {
            return "syntax error: a string is not closed";
        }
        return switch (at) {
            case '{' -> "syntax error in this block: a '}' is missing, or something inside it is incomplete";
            case '}' -> "syntax error: unexpected '}' — one too many, or its '{' is missing";
            case ')' -> "syntax error: unexpected ')'";
            case '\0' -> "syntax error: the script ends too early";
            default -> "syntax error: unexpected '" + at + "'";
        };
    }

    private static char charAt(String text, int line, int col) {
        String[] lines = text.split("\n", -1);
        if (line < 1 || line > lines.length || col < 1 || col > lines[line - 1].length()) {
            return '\0';
        }
        return lines[line - 1].charAt(col - 1);
    }

    /** True when (line, col) lies inside a call already reported: the error follows from that one. */
    private static boolean consequence(ModuleNode module, int line, int col) {
        List<int[]> ranges = module.getNodeMetaData(DslTypeChecker.FAILED_RANGES);
        if (ranges == null) {
            return false;
        }
        for (int[] r : ranges) {
            boolean afterStart = line > r[0] || line == r[0] && col > r[1];
            boolean beforeEnd = line < r[2] || line == r[2] && col <= r[3];
            if (afterStart && beforeEnd) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern DROPPED = Pattern.compile("required named param '|unexpected named arg: |argument for named param '");

    // Groovy's own messages (not ours) are the only text classified here: the compiler gives nothing structured.
    private static final List<Rule> RULES = List.of(
            new Rule("argument for named param '(\\w+)' has type '([\\w.$]+)' but expected '([\\w.$]+)'\\.?",
                    "$1: expects $3, got $2", Kind.WRONG_TYPE),
            new Rule("The variable \\[(\\w+)\\] is undeclared\\.?", "unknown name '$1'", Kind.UNKNOWN_VERB),
            new Rule("Cannot find matching method ([\\w.$]+)#(\\w+)\\((.*)\\)\\..*", "$2($3) is not a verb here", Kind.UNKNOWN_VERB),
            new Rule("Missing (.*)", "syntax error: missing $1", Kind.SYNTAX));

    private record Rule(Pattern pattern, String replacement, Kind kind) {
        Rule(String regex, String replacement, Kind kind) {
            this(Pattern.compile(regex, Pattern.DOTALL), replacement, kind);
        }
    }

    /** A compiler message in the grammar's words; what the static type checker says otherwise is a type mistake. */
    static Problem translate(SourcePos pos, String raw) {
        String s = raw.replace(STC, "").strip();
        Kind kind = raw.contains(STC) ? Kind.WRONG_TYPE : Kind.SYNTAX;
        for (Rule r : RULES) {
            Matcher m = r.pattern.matcher(s);
            if (m.matches()) {
                var groups = new Object[m.groupCount()];
                for (int g = 1; g <= m.groupCount(); g++) {
                    groups[g - 1] = plain(m.group(g));
                }
                s = m.replaceFirst(Matcher.quoteReplacement(r.replacement.replaceAll("\\$(\\d)", "%$1\\$s").formatted(groups)));
                kind = r.kind;
                break;
            }
        }
        return new Problem(pos, Field.NONE, kind, clean(s));
    }

    private static String plain(String type) {
        return switch (type) {
            case "java.lang.Integer", "Integer", "int" -> "int";
            case "java.lang.Boolean", "Boolean" -> "boolean";
            case "java.lang.String" -> "String";
            case "java.util.List" -> "List";
            default -> type;
        };
    }

    /** No Groovy internals in a user's message: package names, the generated class, multi-line detail. */
    static String clean(String s) {
        String one = s.replace(STC, "").strip();
        int nl = one.indexOf('\n');
        if (nl >= 0) {
            one = one.substring(0, nl).strip();
        }
        return one.replaceAll("\\b(java|javax|groovy|org\\.codehaus\\.groovy|org\\.apache\\.groovy|com\\.zed)(\\.[a-z]\\w*)*\\.(?=[A-Z])", "")
                .replace(DeployScripts.SCRIPT_CLASS, "the script")
                .replaceAll("\\bGStringImpl\\b|\\bGString\\b", "String")
                .replaceAll("(\\w+)Exception\\b", "$1 error")
                .replaceAll("expects (int|List)\\b", "expects a$1").replace("expects aint", "expects an int").replace("expects aList", "expects a List")
                .replaceAll("expects String\\b", "expects a String");
    }
}
