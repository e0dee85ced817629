package dev.pgo.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An external program to run: its arguments, where, with which extra environment, for how long,
 * and whether it must run as the PostgreSQL server's OS user (PostgreSQL refuses to run as root).
 * Arguments and environment must never hold a password: pass secrets in files (PGPASSFILE, --pwfile).
 */
public record Command(String description, List<String> argv, Path workDir, Map<String, String> env,
                      Duration timeout, boolean asServerUser) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
    }

    /** A command run as the current user with the default timeout. */
    public static Command of(String description, List<String> argv) {
        return new Command(description, argv, null, Map.of(), DEFAULT_TIMEOUT, false);
    }

    /** A command run as the PostgreSQL server's OS user (the same user unless pgo runs as root). */
    public static Command asServer(String description, List<String> argv) {
        return new Command(description, argv, null, Map.of(), DEFAULT_TIMEOUT, true);
    }

    public Command withTimeout(Duration timeout) {
        return new Command(description, argv, workDir, env, timeout, asServerUser);
    }

    public Command withEnv(Map<String, String> extra) {
        var merged = new java.util.HashMap<>(env);
        merged.putAll(extra);
        return new Command(description, argv, workDir, merged, timeout, asServerUser);
    }

    public Command in(Path dir) {
        return new Command(description, argv, dir, env, timeout, asServerUser);
    }

    /** The program's file name, for messages. */
    public String program() {
        return Path.of(argv.getFirst()).getFileName().toString();
    }
}
