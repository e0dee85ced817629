package dev.pgo.tui.action;

import java.io.PrintStream;
import java.util.List;

/**
 * Runs a pgo command line (without the "pgo") and returns its exit code. The dashboard acts
 * only through these: an action does exactly what the same command does on the command line,
 * with the same checks and messages.
 */
@FunctionalInterface
public interface CommandRunner {
    int run(List<String> args, PrintStream out, PrintStream err);
}
