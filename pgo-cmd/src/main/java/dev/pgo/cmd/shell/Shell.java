package dev.pgo.cmd.shell;

import dev.pgo.cmd.Main;
import dev.pgo.cmd.complete.Names;
import dev.pgo.sql.ConnectionPools;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Model.CommandSpec;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The interactive pgo shell: every pgo command without the "pgo", in one warm process, with
 * history (kept in a file across sessions, Ctrl-R searches it) and Tab completion of commands,
 * options, values and live names. A command that fails prints its error and the shell goes
 * on; Ctrl-C cancels the command running and returns to the prompt; exit or Ctrl-D leaves.
 */
public final class Shell {
    private final Terminal terminal;
    private final Path historyFile;
    private final List<String> globalOptions;
    private final CommandSpec model;
    private final Names names;
    private final String prompt;

    /**
     * {@code globalOptions} (--home, --platform, ...) go before every command; {@code model} is
     * the command tree completion reads, and {@code names} where live names come from.
     */
    public Shell(Terminal terminal, Path historyFile, List<String> globalOptions, CommandSpec model, Names names,
                 String prompt) {
        this.terminal = terminal;
        this.historyFile = historyFile;
        this.globalOptions = List.copyOf(globalOptions);
        this.model = model;
        this.names = names;
        this.prompt = prompt;
    }

    public int run() {
        try (var pools = new ConnectionPools(Duration.ofSeconds(3))) {
            return run(pools);
        }
    }

    private int run(ConnectionPools pools) {
        var out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
        LineReader reader = LineReaderBuilder.builder()
                .appName("pgo")
                .terminal(terminal)
                .completer(new ShellCompleter(model, names))
                .variable(LineReader.HISTORY_FILE, historyFile)
                // a '!' in a password or a manifest path is text, not a history reference
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        out.println("pgo shell: pgo commands without \"pgo\"; Tab completes, help lists them, exit or Ctrl-D leaves.");
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt);
            } catch (UserInterruptException e) {
                continue; // Ctrl-C at the prompt clears the line
            } catch (EndOfFileException e) {
                break;
            }
            List<String> words = CommandLines.split(line);
            if (words.isEmpty()) {
                continue;
            }
            if (words.size() == 1 && (words.getFirst().equals("exit") || words.getFirst().equals("quit"))) {
                break;
            }
            execute(words, out, pools);
        }
        try {
            reader.getHistory().save();
            // what was typed may hold a password (--user, a connection string): for the user only
            java.nio.file.Files.setPosixFilePermissions(historyFile,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (java.io.IOException | UnsupportedOperationException e) {
            out.println("pgo: the history could not be saved to " + historyFile + ": " + e.getMessage());
        }
        return 0;
    }

    /** Runs one command on its own thread, so that Ctrl-C can interrupt it and the shell stays. */
    private void execute(List<String> words, PrintStream out, ConnectionPools pools) {
        var args = new ArrayList<>(globalOptions);
        args.addAll(words);
        int[] exit = {0};
        Thread worker = Thread.ofPlatform().name("pgo-command").start(() -> {
            try {
                exit[0] = Main.run(InputStream.nullInputStream(), out, out, pools, args.toArray(String[]::new));
            } catch (RuntimeException e) {
                out.println("error: " + e.getMessage());
                exit[0] = 1;
            }
        });
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> worker.interrupt());
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
        }
    }
}
