package dev.pgo.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An external program to run: its arguments, where, with which extra environment, for how long,
 * whether it must run as the PostgreSQL server's OS user (PostgreSQL refuses to run as root),
 * what it reads on standard input, who hears its standard error line by line (progress), and
 * who reads its standard output as a stream (an archive decompressed on the fly) instead of
 * its being captured.
 * Arguments and environment must never hold a password: pass secrets in files (PGPASSFILE,
 * --pwfile) or on standard input, which is never logged.
 */
public record Command(String description, List<String> argv, Path workDir, Map<String, String> env,
                      Duration timeout, boolean asServerUser, String input, Consumer<String> stderrLines,
                      OutputReader stdout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    /** A command run as the current user with the default timeout. */
    public static Command of(String description, List<String> argv) {
        return new Command(description, argv, null, Map.of(), DEFAULT_TIMEOUT, false, null, null, null);
    }

    /** A command run as the PostgreSQL server's OS user (the same user unless pgo runs as root). */
    public static Command asServer(String description, List<String> argv) {
        return new Command(description, argv, null, Map.of(), DEFAULT_TIMEOUT, true, null, null, null);
    }

    public Command withTimeout(Duration timeout) {
        return new Command(description, argv, workDir, env, timeout, asServerUser, input, stderrLines, stdout);
    }

    /** Text written to the program's standard input, which is then closed. */
    public Command withInput(String text) {
        return new Command(description, argv, workDir, env, timeout, asServerUser, text, stderrLines, stdout);
    }

    /** Hears each line (or carriage-return update) the program writes to standard error, as it comes. */
    public Command onStderrLine(Consumer<String> listener) {
        return new Command(description, argv, workDir, env, timeout, asServerUser, input, listener, stdout);
    }

    /** Reads the program's standard output as it comes; what it throws fails the run and stops the program. */
    public Command readingStdout(OutputReader reader) {
        return new Command(description, argv, workDir, env, timeout, asServerUser, input, stderrLines, reader);
    }

    /** Reads a program's standard output to its end (or gives up with an exception). */
    @FunctionalInterface
    public interface OutputReader {
        void read(java.io.InputStream stdout) throws java.io.IOException;
    }

    public Command withEnv(Map<String, String> extra) {
        var merged = new java.util.HashMap<>(env);
        merged.putAll(extra);
        return new Command(description, argv, workDir, merged, timeout, asServerUser, input, stderrLines, stdout);
    }

    public Command in(Path dir) {
        return new Command(description, argv, dir, env, timeout, asServerUser, input, stderrLines, stdout);
    }

    /** The program's file name, for messages. */
    public String program() {
        return Path.of(argv.getFirst()).getFileName().toString();
    }
}
