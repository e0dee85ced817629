package dev.pgo.cmd;

import picocli.CommandLine;

/** Entry point of the pgo command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code; tests call this directly. */
    public static int run(String... args) {
        try (CliContext context = new CliContext()) {
            CommandLine commandLine = PgoCommand.commandLine(context);
            return commandLine.execute(args);
        }
    }
}
