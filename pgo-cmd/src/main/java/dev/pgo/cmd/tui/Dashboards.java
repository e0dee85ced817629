package dev.pgo.cmd.tui;

import com.googlecode.lanterna.screen.TerminalScreen;
import dev.pgo.backup.BackupService;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.Main;
import dev.pgo.cmd.complete.Completer;
import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.shell.CommandLines;
import dev.pgo.cmd.shell.NameCache;
import dev.pgo.reconcile.LiveFigures;
import dev.pgo.tui.Tui;
import dev.pgo.tui.action.ActionQueue;
import dev.pgo.tui.action.CommandLineSupport;
import dev.pgo.tui.data.PlatformSource;
import dev.pgo.tui.model.Dashboard;
import dev.pgo.tui.model.EventLog;
import picocli.CommandLine.Model.CommandSpec;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts the dashboard together for a pgo invocation: facts from the chosen platform through
 * operator-core, actions as pgo command lines run in this process (with the global options the
 * dashboard was started with, and its connection pools), and the `:` prompt's completion from
 * the same command model as the shell's.
 */
public final class Dashboards {
    /** How long one refresh waits for a cluster before showing it as unreachable. */
    static final Duration CLUSTER_DEADLINE = Duration.ofSeconds(3);

    private Dashboards() {
    }

    /** A running dashboard's parts, closed together. */
    public record Session(Tui tui, Dashboard dashboard, ActionQueue actions, PlatformSource source)
            implements AutoCloseable {
        @Override
        public void close() {
            actions.close();
            dashboard.close();
            source.close();
        }
    }

    public static Session open(CliContext context, List<String> globalOptions, CommandSpec root, Duration interval,
                               Tui.Settings settings, TerminalScreen screen) {
        Clock clock = Clock.systemUTC();
        var pools = context.reconciler().pools(); // made now: the refresh threads only read it
        BackupService backups;
        try {
            context.platform().backups();
            backups = context.backups();
        } catch (RuntimeException e) {
            backups = null; // a platform without backups shows none
        }
        var source = new PlatformSource(context.platform(), context::view,
                new LiveFigures(context.platform(), pools), backups, CLUSTER_DEADLINE, clock);
        var tui = new AtomicReference<Tui>();
        Runnable changed = () -> {
            Tui t = tui.get();
            if (t != null) {
                t.changed();
            }
        };
        var events = new EventLog(changed);
        var dashboard = new Dashboard(source, events, interval, clock, changed);
        var actions = new ActionQueue((args, out, err) -> {
            var line = new ArrayList<>(globalOptions);
            line.addAll(args);
            return Main.run(InputStream.nullInputStream(), out, err, pools, line.toArray(String[]::new));
        }, events, clock, changed);
        var completer = new Completer(root, new Names(context, new NameCache()));
        var commandLine = new CommandLineSupport() {
            @Override
            public List<String> split(String text) {
                return CommandLines.split(text);
            }

            @Override
            public List<String> complete(List<String> words) {
                return completer.complete(words).candidates();
            }
        };
        tui.set(new Tui(screen, dashboard, actions, source, commandLine, settings, clock));
        return new Session(tui.get(), dashboard, actions, source);
    }
}
