package dev.pgo.cmd.output;

import dev.pgo.text.Sizes;
import dev.pgo.backup.BackupProgress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A long copy as people follow it, on stderr: in a terminal one bar redrawn in place with bytes
 * done, rate and time left; elsewhere a plain line per stage and per tenth done, for logs.
 */
public final class ProgressBar implements BackupProgress {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private final boolean terminal;
    private String phase = "";
    private long phaseStarted = System.nanoTime();
    private long lastDrawn;
    private int lastReported = -1;
    private boolean drawn;
    private String headline;

    public ProgressBar(PrintStream err) {
        this(err, Terminals.isInteractive());
    }

    ProgressBar(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * A line printed before the first stage, so that it appears only once the work has begun:
     * a command refused before (no such cluster) prints just its error.
     */
    public ProgressBar headline(String line) {
        headline = line;
        return this;
    }

    @Override
    public synchronized void phase(String what) {
        endLine();
        if (headline != null) {
            err.println(headline);
            headline = null;
        }
        phase = what;
        phaseStarted = System.nanoTime();
        lastReported = -1;
        if (!terminal) {
            err.println(what + " ...");
        }
    }

    @Override
    public synchronized void bytes(long done, long total) {
        long now = System.nanoTime();
        double seconds = Math.max((now - phaseStarted) / 1e9, 0.001);
        double rate = done / seconds;
        int percent = total > 0 ? (int) Math.min(100, done * 100 / total) : 0;
        if (total <= 0) {
            unknownTotal(now, done, rate);
            return;
        }
        if (!terminal) {
            int tenth = percent / 10;
            if (tenth != lastReported) {
                lastReported = tenth;
                err.println(String.format(Locale.ROOT, "%s: %d%% (%s of %s, %s/s)", phase, percent, Sizes.human(done),
                        Sizes.human(total), Sizes.human((long) rate)));
            }
            return;
        }
        if (now - lastDrawn < REDRAW_NANOS && done < total) {
            return;
        }
        lastDrawn = now;
        int filled = total > 0 ? (int) (WIDTH * Math.min(1.0, (double) done / total)) : 0;
        String eta = rate > 0 && total > done ? String.format(Locale.ROOT, "%.0fs", (total - done) / rate) : "-";
        err.print(String.format(Locale.ROOT, "\r  %-9s [%s%s] %3d%%  %s/%s  %s/s  ETA %s   ", phase,
                "#".repeat(filled), "-".repeat(WIDTH - filled), percent, Sizes.human(done), Sizes.human(total),
                Sizes.human((long) rate), eta));
        err.flush();
        drawn = true;
    }

    /**
     * Work whose size is not known ahead (a dump): bytes and rate, no percentage or ETA; a plain
     * line every 64 MiB when not in a terminal.
     */
    private void unknownTotal(long now, long done, double rate) {
        if (!terminal) {
            int step = (int) (done >> 26);
            if (step != lastReported && done > 0) {
                lastReported = step;
                err.println(String.format(Locale.ROOT, "%s: %s (%s/s)", phase, Sizes.human(done), Sizes.human((long) rate)));
            }
            return;
        }
        if (now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = now;
        err.print(String.format(Locale.ROOT, "\r  %s  %s  %s/s   ", phase, Sizes.human(done), Sizes.human((long) rate)));
        err.flush();
        drawn = true;
    }

    /** Ends the bar's line so what follows starts on its own. */
    public synchronized void endLine() {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }
}
