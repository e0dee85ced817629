package dev.pgo.cmd.tui;

import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import dev.pgo.PgoException;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.ExitCodes;
import dev.pgo.cmd.GlobalOptions;
import dev.pgo.cmd.HelpOption;
import dev.pgo.operator.OperatorPresence;
import dev.pgo.platform.kubernetes.KubernetesPlatform;
import dev.pgo.tui.Tui;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

/** `pgo tui`: the full-screen dashboard in this terminal. */
@Command(name = "tui",
        description = {"The full-screen dashboard: every cluster at a glance with live figures (connections,"
                + " transactions per second, lag, storage, last backup), its instances, roles, databases and"
                + " events; volumes and their files; backups and what they can restore.",
                "Actions on the selected cluster: c create, b backup, r restore, s scale, f switchover or"
                        + " failover, d delete (after typing its name). ? lists every key, q quits."},
        footer = {"", "Examples:", "  pgo tui", "  pgo tui --readonly --refresh 5",
                "  pgo --platform kubernetes -n db tui"})
public final class TuiCommand implements Callable<Integer>, dev.pgo.cmd.CommandTree.ReadsWholeTree {
    @Mixin
    HelpOption helpOption;

    @Spec
    CommandSpec spec;

    @Option(names = "--readonly", description = "Show, never act: no action keys, and `:` runs only show, help and version.")
    boolean readonly;

    @Option(names = "--refresh", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between refreshes (default 2); + and - change it while running.")
    int refreshSeconds;

    @Option(names = "--no-color", description = "No colour (also when NO_COLOR is set); problems show by their symbols.")
    boolean noColor;

    private final CliContext context;

    public TuiCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        if (refreshSeconds < 1) {
            throw new PgoException("--refresh must be 1 second or more, not " + refreshSeconds);
        }
        var console = System.console();
        if (context.in() != System.in || console == null || !console.isTerminal()) {
            throw new PgoException("pgo tui needs a terminal", "run it in a terminal; scripts use pgo show ... -o json");
        }
        var terminal = new DefaultTerminalFactory()
                .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP)
                .createTerminal();
        try (var screen = new TerminalScreen(terminal);
             var session = Dashboards.open(context, GlobalOptions.given(spec.root().commandLine()), spec.root(),
                     Duration.ofSeconds(refreshSeconds), settings(), screen)) {
            session.tui().run();
        }
        return ExitCodes.OK;
    }

    private Tui.Settings settings() {
        var platform = context.platform();
        String operator = platform instanceof KubernetesPlatform
                ? OperatorPresence.describe(context.kubernetesClient(), Clock.systemUTC().instant())
                : "none needed (actions run in this process)";
        boolean colour = !noColor && System.getenv("NO_COLOR") == null;
        return new Tui.Settings(platform.name(), platform.location(), operator, readonly, colour);
    }
}
