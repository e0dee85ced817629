package dev.pgo.validate;

import dev.pgo.PgoException;

import java.util.List;
import java.util.stream.Collectors;

/** A spec was refused; nothing was changed. */
public class InvalidSpecException extends PgoException {
    private final transient List<Problem> problems;

    public InvalidSpecException(String what, List<Problem> problems) {
        super(what + " is invalid:\n" + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")),
                "fix the fields above; nothing was changed");
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
