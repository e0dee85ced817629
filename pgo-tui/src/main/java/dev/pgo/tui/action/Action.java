package dev.pgo.tui.action;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One command run from the dashboard: what it is, its output as it comes (the last line is its
 * progress), and how it ended. Written by the runner's thread, read by the drawing thread.
 */
public final class Action {
    public enum State { QUEUED, RUNNING, SUCCEEDED, FAILED }

    private final long id;
    private final String title;
    private final List<String> args;
    private final String cluster;
    private final List<String> output = new ArrayList<>();
    private volatile State state = State.QUEUED;
    private volatile Instant started;
    private volatile Instant finished;
    private volatile int exit = -1;

    Action(long id, String title, List<String> args, String cluster) {
        this.id = id;
        this.title = title;
        this.args = List.copyOf(args);
        this.cluster = cluster;
    }

    public long id() {
        return id;
    }

    public String title() {
        return title;
    }

    public List<String> args() {
        return args;
    }

    /** The cluster it acts on, or null (a command typed at the `:` prompt may name none). */
    public String cluster() {
        return cluster;
    }

    public State state() {
        return state;
    }

    public boolean done() {
        return state == State.SUCCEEDED || state == State.FAILED;
    }

    public int exit() {
        return exit;
    }

    public Instant started() {
        return started;
    }

    public Duration elapsed(Instant now) {
        return started == null ? Duration.ZERO : Duration.between(started, finished == null ? now : finished);
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** The last line printed that says something: progress while running, the reason after a failure. */
    public String lastLine() {
        synchronized (output) {
            for (int i = output.size() - 1; i >= 0; i--) {
                if (!output.get(i).isBlank()) {
                    return output.get(i).strip();
                }
            }
        }
        return "";
    }

    /** The first error line, which says why it failed better than what follows it. */
    public String reason() {
        for (String line : output()) {
            if (line.startsWith("error:")) {
                return line.substring("error:".length()).strip();
            }
        }
        return lastLine();
    }

    void line(String text) {
        synchronized (output) {
            output.add(text);
        }
    }

    void start(Instant at) {
        started = at;
        state = State.RUNNING;
    }

    void finish(int code, Instant at) {
        exit = code;
        finished = at;
        state = code == 0 ? State.SUCCEEDED : State.FAILED;
    }
}
