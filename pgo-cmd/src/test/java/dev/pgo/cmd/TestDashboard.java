package dev.pgo.cmd;

import dev.pgo.cmd.tui.Dashboards;
import dev.pgo.tui.Tui;
import dev.pgo.tui.VirtualScreen;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A dashboard on Lanterna's virtual terminal, put together as `pgo --home ROOT tui [--readonly]` does it. */
final class TestDashboard {
    private TestDashboard() {
    }

    /** Starts it on {@code screen}; closing the result stops it. */
    static AutoCloseable open(Path root, VirtualScreen screen, boolean readonly) {
        var context = new CliContext(InputStream.nullInputStream(), new PrintStream(PrintStream.nullOutputStream()),
                new PrintStream(PrintStream.nullOutputStream()));
        var model = PgoCommand.commandLine(context);
        model.parseArgs("--home", root.toString());
        var settings = new Tui.Settings("local", root.toString(), "none needed", readonly, false);
        var session = Dashboards.open(context, List.of("--home", root.toString()), model.getCommandSpec(),
                Duration.ofSeconds(1), settings, screen.screen());
        screen.start(session.tui());
        return () -> {
            screen.close();
            session.close();
            context.close();
        };
    }
}
