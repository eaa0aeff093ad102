package com.zed.dsl;

import com.zed.model.Problem;
import com.zed.model.SourcePos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of a deploy script collects: the problems the grammar finds while building
 * (names ZFS refuses, a second deploy, ...), and where each verb was written.
 */
final class ScriptState {
    private static final StackWalker WALKER = StackWalker.getInstance();

    final String file;
    private final String scriptClass;
    private final VerbPositions positions;
    private final Map<String, Integer> seen = new HashMap<>();
    final List<Problem> problems = new ArrayList<>();
    /** Element position → field → position of the verb that set it, to point post-evaluation problems at that line. */
    final Map<SourcePos, Map<String, SourcePos>> fieldPos = new HashMap<>();
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

    boolean isScriptClass(String name) {
        return name.equals(scriptClass) || name.startsWith(scriptClass + "$");
    }

    void problem(SourcePos pos, String field, String message) {
        problems.add(new Problem(pos, field, message));
    }

    void field(SourcePos element, String field, SourcePos at) {
        fieldPos.computeIfAbsent(element, k -> new HashMap<>()).put(field, at);
    }
}
