package dev.pgo.cmd.shell;

import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.HelpOption;
import dev.pgo.cmd.complete.Names;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** `pgo shell` (and `pgo` alone): the interactive shell in a terminal, a script runner when input is piped. */
@Command(name = "shell",
        description = {"Run pgo commands without the \"pgo\": interactively in a terminal (history, Tab completion,"
                + " Ctrl-C cancels a command), or one a line from piped input.",
                "pgo with no arguments does the same."},
        footer = {"", "Examples:", "  pgo", "  pgo --platform kubernetes -n db shell",
                "  pgo < checks.pgo                       stops at the first command that fails",
                "  echo 'show cluster all' | pgo --continue-on-error"})
public final class ShellCommand implements Callable<Integer>, dev.pgo.cmd.CommandTree.ReadsWholeTree {
    @Mixin
    HelpOption helpOption;

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--continue-on-error",
            description = "Piped input: run every line even after one fails; exit with the last failure's code.")
    boolean continueOnError;

    public ShellCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        return start(context, spec.root(), continueOnError);
    }

    /**
     * The shell for {@code context}: interactive when pgo reads a terminal, else the lines of its
     * input as a script. {@code root} is the parsed pgo command line: its global options go
     * before every command, and completion reads its model.
     */
    public static int start(CliContext context, CommandSpec root, boolean continueOnError) throws IOException {
        List<String> globalOptions = dev.pgo.cmd.GlobalOptions.given(root.commandLine());
        var console = System.console();
        boolean interactive = context.in() == System.in && console != null && console.isTerminal();
        if (!interactive) {
            return new ScriptRunner(globalOptions, context.out(), context.err()).run(context.in(), continueOnError);
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("pgo").build()) {
            return new Shell(terminal, historyFile(context), globalOptions, root,
                    new Names(context, new NameCache()), prompt(context)).run();
        }
    }

    /** The platform and where on it: "local", or "kubernetes context/namespace". */
    public static String prompt(CliContext context) {
        String name = context.platform().name();
        return "pgo " + (name.equals("local") ? name : name + " " + context.platform().location()) + "> ";
    }

    /** ~/.pgo/history, or beside the home given with --home. */
    private static Path historyFile(CliContext context) throws IOException {
        Path dir = context.home() != null ? context.home() : Path.of(System.getProperty("user.home"), ".pgo");
        Files.createDirectories(dir);
        return dir.resolve("history");
    }
}
