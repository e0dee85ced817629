package dev.pgo.cmd;

import dev.pgo.cmd.apply.ApplyCommand;
import dev.pgo.cmd.complete.CompleteCommand;
import dev.pgo.cmd.complete.CompletionCommand;
import dev.pgo.cmd.create.CreateCommand;
import dev.pgo.cmd.delete.DeleteCommand;
import dev.pgo.cmd.ha.FailoverCommand;
import dev.pgo.cmd.ha.RestartCommand;
import dev.pgo.cmd.ha.ScaleCommand;
import dev.pgo.cmd.ha.SwitchoverCommand;
import dev.pgo.cmd.install.InstallCommand;
import dev.pgo.cmd.man.ManCommand;
import dev.pgo.cmd.operator.OperatorCommand;
import dev.pgo.cmd.shell.ShellCommand;
import dev.pgo.cmd.show.ShowCommand;
import dev.pgo.cmd.tui.TuiCommand;
import dev.pgo.cmd.verify.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;

/**
 * pgo's top-level commands, and the part of the command tree a command line needs.
 *
 * <p>picocli builds a command's model by reflection over its annotations, which costs a new JVM
 * about as much as everything else a one-liner does. `pgo show cluster all` needs the models
 * of `pgo` and of `show` and its nouns only, so that is what it gets; help, completion, man
 * pages, the shell and the dashboard, which read or run every command, get the whole tree.
 */
public final class CommandTree {
    /** The top-level commands in the order help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(CreateCommand.class, ShowCommand.class,
            DeleteCommand.class, VerifyCommand.class, ApplyCommand.class, ScaleCommand.class,
            SwitchoverCommand.class, FailoverCommand.class, RestartCommand.class, OperatorCommand.class,
            CompletionCommand.class, CompleteCommand.class, ShellCommand.class, TuiCommand.class,
            ManCommand.class, InstallCommand.class, VersionCommand.class, CommandLine.HelpCommand.class);

    /**
     * A command that reads the whole command model: it lists, completes or runs any command
     * (completion scripts, man pages, the shell, the dashboard).
     */
    public interface ReadsWholeTree {
    }

    private CommandTree() {
    }

    /** Every command under {@code root}. */
    public static void addAll(CommandLine root) {
        COMMANDS.forEach(type -> root.addSubcommand(name(type), type));
    }

    /** The commands under {@code root} that {@code args} need: the one they name, else every one. */
    public static void addFor(CommandLine root, String... args) {
        Class<?> named = needed(root, List.of(args));
        if (named == null) {
            addAll(root);
            return;
        }
        if (named == CompleteCommand.class) {
            // The words to complete start after "__complete" (and the "--" the scripts pass).
            List<String> words = List.of(args).subList(indexOfCommand(root, List.of(args)) + 1, args.length);
            if (!words.isEmpty() && words.getFirst().equals("--")) {
                words = words.subList(1, words.size());
            }
            int at = indexOfCommand(root, words);
            // A command name that is still being typed is completed from every command's name.
            Class<?> completed = at >= 0 && at < words.size() - 1 ? find(words.get(at)) : null;
            if (completed == null || wholeTree(completed)) {
                addAll(root);
                return;
            }
            root.addSubcommand(name(completed), completed);
        }
        root.addSubcommand(name(named), named);
    }

    /** The command {@code args} run when it is one that needs only its own model, else null. */
    private static Class<?> needed(CommandLine root, List<String> args) {
        int at = indexOfCommand(root, args);
        Class<?> type = at < 0 ? null : find(args.get(at));
        return type == null || wholeTree(type) ? null : type;
    }

    private static boolean wholeTree(Class<?> type) {
        return !type.getPackageName().startsWith("dev.pgo") || ReadsWholeTree.class.isAssignableFrom(type);
    }

    /** Where the first word that is not a global option (or an option's value) stands, or -1. */
    private static int indexOfCommand(CommandLine root, List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                return -1;
            }
            if (!arg.startsWith("-")) {
                return i;
            }
            OptionSpec option = root.getCommandSpec().findOption(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg);
            if (option == null) {
                return -1;
            }
            if (option.arity().max() > 0 && !arg.contains("=")) {
                i++;
            }
        }
        return -1;
    }

    private static Class<?> find(String word) {
        for (Class<?> type : COMMANDS) {
            Command command = type.getAnnotation(Command.class);
            if (command.name().equals(word) || List.of(command.aliases()).contains(word)) {
                return type;
            }
        }
        return null;
    }

    private static String name(Class<?> type) {
        return type.getAnnotation(Command.class).name();
    }
}
