package dev.pgo.tui.action;

import dev.pgo.tui.model.Event;
import dev.pgo.tui.model.EventLog;
import dev.pgo.tui.model.Health;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the dashboard's actions one after another on a thread of their own, so the screen stays
 * live while a cluster is created or restored. One at a time is deliberate: the commands wait
 * for what they start, and a second action on the same cluster would only wait for its lock.
 * Each start and end goes to the events pane.
 */
public final class ActionQueue implements AutoCloseable {
    private static final int KEPT = 50;

    private final CommandRunner runner;
    private final EventLog events;
    private final Clock clock;
    private final Runnable changed;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("pgo-tui-action").factory());
    private final AtomicLong ids = new AtomicLong();
    private final List<Action> actions = new ArrayList<>();

    public ActionQueue(CommandRunner runner, EventLog events, Clock clock, Runnable changed) {
        this.runner = runner;
        this.events = events;
        this.clock = clock;
        this.changed = changed;
    }

    /** Queues {@code args} (a pgo command line without "pgo") under a title such as "backup alpha". */
    public Action submit(String title, List<String> args, String cluster) {
        var action = new Action(ids.incrementAndGet(), title, args, cluster);
        synchronized (actions) {
            actions.addFirst(action);
            if (actions.size() > KEPT) {
                actions.removeLast();
            }
        }
        worker.submit(() -> run(action));
        changed.run();
        return action;
    }

    private void run(Action action) {
        action.start(clock.instant());
        events.add(new Event(clock.instant(), action.cluster(), Health.OK, "started: " + action.title()));
        int exit;
        var capture = new LineCapture(line -> {
            action.line(line);
            changed.run();
        });
        try (var out = new PrintStream(capture, true, StandardCharsets.UTF_8)) {
            exit = runner.run(action.args(), out, out);
        } catch (RuntimeException e) {
            action.line("error: " + e.getMessage());
            exit = 1;
        }
        action.finish(exit, clock.instant());
        events.add(exit == 0
                ? new Event(clock.instant(), action.cluster(), Health.OK, "done: " + action.title())
                : new Event(clock.instant(), action.cluster(), Health.BAD,
                "failed: " + action.title() + ": " + action.reason()));
        changed.run();
    }

    /** Newest first. */
    public List<Action> recent() {
        synchronized (actions) {
            return List.copyOf(actions);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
