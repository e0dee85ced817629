package dev.pgo.cmd.complete;

import dev.pgo.cmd.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `pgo __complete WORD...`: what the shell completion scripts (and the interactive shell) ask
 * for names that live on the platform, in the form kubectl and cobra use: one candidate a line,
 * then a line ":DIRECTIVE" (2: no space after it, 4: no file names). The last word is the one
 * being completed, empty after a space. Words that start with "-" are taken as words after a
 * "--" (the scripts always pass one), or after the first word that is not an option; global
 * options among the words (--platform, --home, -n, ...) choose the platform the names come from.
 */
@Command(name = "__complete", hidden = true, description = "Completion candidates for a partial command line.")
public final class CompleteCommand implements Runnable {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "WORD")
    List<String> words = new ArrayList<>();

    public CompleteCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        applyGlobalOptions(spec.root());
        Completer.Result result = new Completer(spec.root(), new Names(context)).complete(words);
        result.candidates().forEach(context.out()::println);
        context.out().println(":" + result.directive());
    }

    /**
     * The global options among the typed words (--platform, --home, -n, ...) choose where the
     * names come from, as they would for the command being typed. Each is set through the root
     * command's own option, so the choice is made exactly as for a run.
     */
    private void applyGlobalOptions(CommandSpec root) {
        for (int i = 0; i < words.size() - 1; i++) {
            OptionSpec option = root.findOption(words.get(i));
            if (option == null) {
                continue;
            }
            Class<?> type = option.typeInfo().getType();
            if (option.arity().max() == 0) {
                option.setValue(true);
            } else if (i + 1 < words.size() - 1) {
                String value = words.get(++i);
                option.setValue(type == Path.class ? Path.of(value) : value);
            }
        }
    }
}
