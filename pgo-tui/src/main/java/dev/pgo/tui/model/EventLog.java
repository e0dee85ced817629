package dev.pgo.tui.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The newest events, at most {@link #CAPACITY}; written from any thread, read by the views. */
public final class EventLog {
    public static final int CAPACITY = 500;

    private final Deque<Event> events = new ArrayDeque<>();
    private final Runnable changed;

    /** {@code changed} runs after every new event (the screen redraws). */
    public EventLog(Runnable changed) {
        this.changed = changed;
    }

    public void add(Event event) {
        synchronized (events) {
            events.addFirst(event);
            if (events.size() > CAPACITY) {
                events.removeLast();
            }
        }
        changed.run();
    }

    /** Newest first. */
    public List<Event> newestFirst() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    public List<Event> of(String cluster, int max) {
        return newestFirst().stream().filter(e -> cluster.equals(e.cluster())).limit(max).toList();
    }
}
