package dev.pgo.cmd.complete;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Completion candidates for a partly typed pgo command line, read from the picocli command
 * model: subcommands, options, enum values and completion candidates come from the model, so
 * a new command or option completes without anything written for it; live names come from
 * commands that implement {@link CompletesNames}. The last word is the one being completed
 * (empty when the cursor follows a space).
 */
public final class Completer {
    /** What the shell should do besides offering the candidates, as cobra's directives. */
    public static final int NO_SPACE = 2;
    public static final int NO_FILES = 4;

    /** The candidates, all starting with the word being completed, and the directive bits. */
    public record Result(List<String> candidates, int directive) {
    }

    private final CommandSpec root;
    private final Names names;

    public Completer(CommandSpec root, Names names) {
        this.root = root;
        this.names = names;
    }

    public Result complete(List<String> words) {
        List<String> typed = words.isEmpty() ? List.of("") : words;
        String current = typed.getLast();
        CommandSpec command = root;
        var positionals = new ArrayList<String>();
        OptionSpec pendingOption = null;
        for (String word : typed.subList(0, typed.size() - 1)) {
            if (pendingOption != null) {
                pendingOption = null;
                continue;
            }
            if (word.startsWith("-") && word.length() > 1) {
                OptionSpec option = command.findOption(word);
                if (option != null && takesValue(option) && !word.contains("=")) {
                    pendingOption = option;
                }
                continue;
            }
            CommandLine sub = positionals.isEmpty() ? command.subcommands().get(word) : null;
            if (sub != null) {
                command = sub.getCommandSpec();
            } else {
                positionals.add(word);
            }
        }
        if (pendingOption != null) {
            return optionValue(command, pendingOption, positionals, current);
        }
        if (current.startsWith("-")) {
            return matching(optionNames(command), current, NO_FILES);
        }
        var candidates = new LinkedHashSet<String>();
        if (positionals.isEmpty()) {
            command.subcommands().forEach((name, sub) -> {
                if (!sub.getCommandSpec().usageMessage().hidden()) {
                    candidates.add(name);
                }
            });
        }
        if (command.userObject() instanceof CommandLine.HelpCommand) {
            root.subcommands().forEach((name, sub) -> {
                if (!sub.getCommandSpec().usageMessage().hidden()) {
                    candidates.add(name);
                }
            });
        }
        int index = positionals.size();
        PositionalParamSpec positional = command.positionalParameters().stream()
                .filter(p -> p.index().contains(index)).findFirst().orElse(null);
        if (positional != null) {
            if (command.userObject() instanceof CompletesNames named) {
                candidates.addAll(named.positional(index, List.copyOf(positionals), names));
            }
            candidates.addAll(ModelValues.listed(positional));
            if (candidates.isEmpty() && ModelValues.isPath(positional)) {
                return new Result(List.of(), 0);
            }
        }
        return matching(candidates, current, NO_FILES);
    }

    private Result optionValue(CommandSpec command, OptionSpec option, List<String> positionals, String current) {
        var candidates = new LinkedHashSet<>(ModelValues.listed(option));
        if (command.userObject() instanceof CompletesNames named) {
            candidates.addAll(named.optionValue(option.longestName(), List.copyOf(positionals), names));
        }
        if (candidates.isEmpty() && ModelValues.isPath(option)) {
            return new Result(List.of(), 0); // the shell completes file names
        }
        return matching(candidates, current, NO_FILES);
    }

    private static boolean takesValue(OptionSpec option) {
        return option.arity().max() > 0;
    }

    private static Set<String> optionNames(CommandSpec command) {
        var names = new LinkedHashSet<String>();
        for (OptionSpec option : command.options()) {
            if (!option.hidden()) {
                names.addAll(List.of(option.names()));
            }
        }
        return names;
    }

    private static Result matching(Iterable<String> candidates, String prefix, int directive) {
        var matches = new ArrayList<String>();
        for (String candidate : candidates) {
            if (candidate.startsWith(prefix)) {
                matches.add(candidate);
            }
        }
        return new Result(matches, directive);
    }
}
