package dev.pgo.cmd;

import picocli.CommandLine;

/** Entry point of the pgo command. */
public final class Main {
    static {
        // Log levels are in simplelogger.properties. These two settings keep a start from
        // looking for classes and files that are not there, each of which makes the JVM open
        // every jar of the class path: picocli's support for Groovy closures and slf4j's search
        // for a logging provider (it is slf4j-simple).
        System.setProperty("picocli.disable.closures", "true");
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
            // slf4j says that it was told which provider to use, on every start, unless told not to
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        // System.exit logs the exit through a System.Logger, and the first of those looks for
        // logging providers in every jar of the class path (about 25 ms in a new JVM): a
        // command that succeeded returns instead, unless a thread it started would keep the
        // JVM alive.
        if (code != ExitCodes.OK || otherThreadsKeepRunning()) {
            System.exit(code);
        }
    }

    private static boolean otherThreadsKeepRunning() {
        var threads = new Thread[Thread.activeCount() + 8];
        int count = Thread.enumerate(threads);
        for (int i = 0; i < count; i++) {
            if (threads[i] != Thread.currentThread() && !threads[i].isDaemon() && threads[i].isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Runs one command line and returns its exit code. */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /** Runs one command line with the given output streams; tests call this directly. */
    public static int run(java.io.PrintStream out, java.io.PrintStream err, String... args) {
        return run(System.in, out, err, args);
    }

    /** Runs one command line reading {@code in} (the shell's script mode reads it). */
    public static int run(java.io.InputStream in, java.io.PrintStream out, java.io.PrintStream err, String... args) {
        return run(in, out, err, null, args);
    }

    /** Runs one command line of a session (the shell) whose connection pools stay open between commands. */
    public static int run(java.io.InputStream in, java.io.PrintStream out, java.io.PrintStream err,
                          dev.pgo.sql.ConnectionPools sessionPools, String... args) {
        try (CliContext context = new CliContext(in, out, err, sessionPools)) {
            CommandLine commandLine = PgoCommand.commandLine(context, args);
            return commandLine.execute(args);
        }
    }
}
