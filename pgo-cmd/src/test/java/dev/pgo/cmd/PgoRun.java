package dev.pgo.cmd;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One pgo command line run in-process against a given $PGO_HOME: its exit code, stdout and stderr. */
record PgoRun(int exit, String out, String err) {

    static PgoRun pgo(Path home, String... args) {
        return run(home, java.io.InputStream.nullInputStream(), args);
    }

    /** pgo with {@code input} piped into it, as `echo ... | pgo ARGS`. */
    static PgoRun piped(Path home, String input, String... args) {
        return run(home, new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args);
    }

    private static PgoRun run(Path home, java.io.InputStream in, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("--home", home.toString()));
        argv.addAll(List.of(args));
        int exit;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8);
             var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(in, o, e, argv.toArray(String[]::new));
        }
        return new PgoRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
