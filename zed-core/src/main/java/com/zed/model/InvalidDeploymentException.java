package com.zed.model;

import java.util.List;
import java.util.stream.Collectors;

/** A deploy script that cannot be run: every problem found, each with its position. */
public class InvalidDeploymentException extends RuntimeException {
    private final List<Problem> problems;

    public InvalidDeploymentException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
