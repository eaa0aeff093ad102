package com.zed.dsl;

import com.zed.model.Field;
import com.zed.model.Problem;
import com.zed.model.SourceMap;
import com.zed.model.SourcePos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of a deploy script collects: where each verb and argument was written and what it
 * was given ({@link #sourceMap}, for the Validator), and the few problems only the script's shape
 * shows (a second deploy).
 */
final class ScriptState {
    private static final StackWalker WALKER = StackWalker.getInstance();

    final String file;
    private final String scriptClass;
    private final VerbPositions positions;
    private final Map<String, Integer> seen = new HashMap<>();
    final List<Problem> problems = new ArrayList<>();
    final SourceMap sourceMap = SourceMap.empty();
    DeployBlock deploy;

    ScriptState(String file, String scriptClass, VerbPositions positions) {
        this.file = file;
        this.scriptClass = scriptClass;
        this.positions = positions;
    }

    /** Where the script called {@code verb}: the innermost script frame gives the line, the compile-time record the column. */
    SourcePos pos(String verb) {
        int line = WALKER.walk(frames -> frames.filter(f -> isScriptClass(f.getClassName()))
                .findFirst().map(StackWalker.StackFrame::getLineNumber).orElse(0));
        if (line <= 0) {
            return new SourcePos(file, 1, 1);
        }
        String key = line + ":" + verb;
        int nth = seen.merge(key, 1, Integer::sum) - 1;
        return new SourcePos(file, line, positions.column(line, verb, nth));
    }

    /** Where the {@code index}th positional argument of the call at {@code call} starts; the call's position if unknown. */
    SourcePos arg(SourcePos call, int index) {
        var args = positions.args(call.line(), call.column()).positional();
        return index < args.size() ? at(args.get(index)) : call;
    }

    /** Where the value of named argument {@code key} of the call at {@code call} starts; the call's position if unknown. */
    SourcePos named(SourcePos call, String key) {
        int[] p = positions.args(call.line(), call.column()).named().get(key);
        return p == null ? call : at(p);
    }

    private SourcePos at(int[] lineCol) {
        return lineCol[0] > 0 ? new SourcePos(file, lineCol[0], lineCol[1]) : new SourcePos(file, 1, 1);
    }

    boolean isScriptClass(String name) {
        return name.equals(scriptClass) || name.startsWith(scriptClass + "$");
    }

    void problem(SourcePos pos, Field field, Problem.Kind kind, String message) {
        problems.add(new Problem(pos, field, kind, message));
    }
}
