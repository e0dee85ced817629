package dev.pgo.cmd.output;

import dev.pgo.reconcile.Step;
import dev.pgo.reconcile.StepListener;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows reconcile steps as they happen, on stderr so stdout stays clean for scripts: a
 * "..." line when a step starts and a check mark with its time when it ends; plain words when
 * the output is not a terminal.
 */
public final class Progress implements StepListener {
    private final PrintStream err;
    private final boolean terminal;
    private final long started = System.nanoTime();

    public Progress(PrintStream err) {
        this.err = err;
        this.terminal = Terminals.isInteractive();
    }

    @Override
    public void started(String cluster, Step step) {
        if (!terminal) {
            err.println(cluster + ": " + step.describe() + " ...");
        }
    }

    @Override
    public void finished(String cluster, Step step, Duration took) {
        err.println((terminal ? "  \u2713 " : cluster + ": done: ") + step.describe() + "  " + seconds(took));
    }

    @Override
    public void failed(String cluster, Step step, RuntimeException error) {
        err.println((terminal ? "  \u2717 " : cluster + ": failed: ") + step.describe());
    }

    @Override
    public void waiting(String cluster, String message) {
        err.println((terminal ? "  \u2026 " : cluster + ": waiting: ") + message + "  " + elapsed());
    }

    public String elapsed() {
        return seconds(Duration.ofNanos(System.nanoTime() - started));
    }

    public static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
