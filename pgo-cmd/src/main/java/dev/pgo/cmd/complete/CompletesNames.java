package dev.pgo.cmd.complete;

import java.util.List;

/**
 * A command whose positional parameters or options take names that live on the platform
 * (clusters, volumes, backups, instances). Commands, options and enum values complete from the
 * picocli model by themselves; only these need a command to say what they are.
 */
public interface CompletesNames {
    /** Candidates for positional parameter {@code index}, given the ones typed before it. */
    List<String> positional(int index, List<String> before, Names names);

    /** Candidates for the value of {@code option} (its longest name); none unless a command says. */
    default List<String> optionValue(String option, List<String> positionals, Names names) {
        return List.of();
    }
}
