package dev.pgo.cmd;

import picocli.CommandLine;

/** Entry point of the pgo command. */
public final class Main {
    static final String POOL_LOG_LEVEL = "org.slf4j.simpleLogger.log.com.zaxxer.hikari";

    static {
        // Libraries (HikariCP) log at INFO by default; pgo's users want their warnings only.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
            // The headless operator reports what it does through pgo's own loggers.
            System.setProperty("org.slf4j.simpleLogger.log.dev.pgo", "info");
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        }
        // HikariCP warns, with a stack trace, about each pooled connection to a server that was
        // restarted or killed. pgo expects those: it drops the pool, connects again and says in
        // its own words when a server cannot be reached, so the pool's own account is noise.
        if (System.getProperty(POOL_LOG_LEVEL) == null) {
            System.setProperty(POOL_LOG_LEVEL, "error");
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
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
