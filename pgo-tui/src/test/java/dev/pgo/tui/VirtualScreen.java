package dev.pgo.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A dashboard on Lanterna's virtual terminal, driven as a user would: keys go in through the
 * terminal's input, and what the user would see is read back from its cells. The dashboard
 * runs on its own thread, as it does in a real terminal.
 */
public final class VirtualScreen implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final DefaultVirtualTerminal terminal;
    private final TerminalScreen screen;
    private Thread ui;
    private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    public VirtualScreen(int columns, int rows) {
        terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        try {
            screen = new TerminalScreen(terminal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TerminalScreen screen() {
        return screen;
    }

    /** Runs the dashboard until q, on a thread of its own. */
    public void start(Tui tui) {
        ui = Thread.ofPlatform().name("tui-under-test").start(() -> {
            try {
                tui.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
    }

    /** The screen's rows as text, trailing spaces removed. */
    public List<String> rows() {
        TerminalSize size = terminal.getTerminalSize();
        var rows = new ArrayList<String>();
        for (int r = 0; r < size.getRows(); r++) {
            var line = new StringBuilder();
            for (int c = 0; c < size.getColumns(); c++) {
                line.append(terminal.getCharacter(c, r).getCharacterString());
            }
            rows.add(line.toString().stripTrailing());
        }
        return rows;
    }

    public String text() {
        return String.join("\n", rows());
    }

    public void type(String keys) {
        for (char c : keys.toCharArray()) {
            terminal.addInput(c == '\n' ? new KeyStroke(KeyType.Enter) : new KeyStroke(c, false, false));
        }
    }

    public void press(KeyType key) {
        terminal.addInput(new KeyStroke(key));
    }

    public void resize(int columns, int rows) {
        terminal.setTerminalSize(new TerminalSize(columns, rows));
    }

    /** Waits until the screen shows what {@code seen} accepts; fails with the screen as it is. */
    public String await(String what, Predicate<String> seen) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String text = text();
            if (seen.test(text)) {
                return text;
            }
            if (!failures.isEmpty()) {
                throw new AssertionError("the dashboard failed while waiting for " + what, failures.getFirst());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen never showed " + what + ":\n" + text);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public String await(String text) {
        return await("'" + text + "'", screenText -> screenText.contains(text));
    }

    /** The row that contains {@code text}, or fails. */
    public String rowWith(String text) {
        return rows().stream().filter(r -> r.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no row with " + text + ":\n" + text()));
    }

    public boolean running() {
        return ui != null && ui.isAlive();
    }

    /** Quits with q (when still running) and waits for the dashboard to end. */
    @Override
    public void close() throws InterruptedException {
        if (running()) {
            press(KeyType.Escape);
            type("q");
            ui.join(WAIT.toMillis());
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("the dashboard failed", failures.getFirst());
        }
    }
}
