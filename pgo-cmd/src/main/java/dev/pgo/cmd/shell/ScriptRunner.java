package dev.pgo.cmd.shell;

import dev.pgo.cmd.ExitCodes;
import dev.pgo.cmd.Main;
import dev.pgo.sql.ConnectionPools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * pgo commands piped in (`pgo < script.pgo`), one a line without the "pgo" prefix; blank
 * lines and lines starting with # are skipped. It stops at the first command that fails and
 * exits with its code, unless told to go on, when it exits with the last failure's code.
 */
final class ScriptRunner {
    private final List<String> globalOptions;
    private final PrintStream out;
    private final PrintStream err;

    /** {@code globalOptions} (--home, --platform, ...) go before every line's arguments. */
    ScriptRunner(List<String> globalOptions, PrintStream out, PrintStream err) {
        this.globalOptions = globalOptions;
        this.out = out;
        this.err = err;
    }

    int run(InputStream script, boolean continueOnError) throws IOException {
        try (var pools = new ConnectionPools(Duration.ofSeconds(3))) {
            return run(script, continueOnError, pools);
        }
    }

    private int run(InputStream script, boolean continueOnError, ConnectionPools pools) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(script, StandardCharsets.UTF_8));
        int status = ExitCodes.OK;
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            List<String> words = CommandLines.split(line);
            if (words.isEmpty()) {
                continue;
            }
            var args = new ArrayList<>(globalOptions);
            args.addAll(words);
            int exit = Main.run(InputStream.nullInputStream(), out, err, pools, args.toArray(String[]::new));
            if (exit != ExitCodes.OK) {
                err.println("pgo: line " + number + " failed (exit " + exit + "): " + line.strip());
                status = exit;
                if (!continueOnError) {
                    return exit;
                }
            }
        }
        return status;
    }
}
