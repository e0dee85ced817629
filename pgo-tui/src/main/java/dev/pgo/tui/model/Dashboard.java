package dev.pgo.tui.model;

import dev.pgo.tui.data.DataSource;
import dev.pgo.tui.data.Snapshot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The model behind the screen: reads the data source on its own thread at the chosen interval
 * and publishes an immutable {@link Board}. A refresh that is still running when the next is
 * due simply delays it (the tick is dropped), so a platform that hangs holds up only the
 * refresh thread, never the screen; {@link #refreshingSince()} lets the header say so.
 */
public final class Dashboard implements AutoCloseable {
    /** The refresh intervals + and - step through. */
    public static final List<Duration> INTERVALS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));

    private final DataSource source;
    private final EventLog events;
    private final Clock clock;
    private final Runnable changed;
    private final Object wake = new Object();
    private volatile Board board = Board.EMPTY;
    private volatile Duration interval;
    private volatile Instant refreshingSince;
    private volatile String failure;
    private volatile boolean closed;
    private boolean requested;
    private Snapshot previous = Snapshot.EMPTY;
    private Thread thread;

    /** {@code changed} runs (on the refresh thread) whenever there is something new to draw. */
    public Dashboard(DataSource source, EventLog events, Duration interval, Clock clock, Runnable changed) {
        this.source = source;
        this.events = events;
        this.interval = interval;
        this.clock = clock;
        this.changed = changed;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("pgo-tui-refresh").start(this::loop);
        }
    }

    private void loop() {
        while (!closed) {
            refreshOnce();
            synchronized (wake) {
                long until = System.nanoTime() + interval.toNanos();
                while (!requested && !closed && System.nanoTime() < until) {
                    try {
                        wake.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                requested = false;
            }
        }
    }

    /** One refresh, on the calling thread: the refresh loop's step, and what tests call directly. */
    public void refreshOnce() {
        refreshingSince = clock.instant();
        changed.run();
        try {
            Snapshot now = source.read();
            Board next = Boards.of(now, previous);
            Changes.between(board, next, clock.instant()).forEach(events::add);
            previous = now;
            board = next;
            failure = null;
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (!why.equals(failure)) {
                events.add(new Event(clock.instant(), null, Health.BAD, "refresh failed: " + why));
            }
            failure = why;
        } finally {
            refreshingSince = null;
            changed.run();
        }
    }

    public Board board() {
        return board;
    }

    public Duration interval() {
        return interval;
    }

    /** When the refresh under way started; null when none is. */
    public Instant refreshingSince() {
        return refreshingSince;
    }

    /** Why the last refresh failed, or null. */
    public String failure() {
        return failure;
    }

    public EventLog events() {
        return events;
    }

    public void refreshNow() {
        synchronized (wake) {
            requested = true;
            wake.notifyAll();
        }
    }

    /** The next longer (+1) or shorter (-1) interval. */
    public void step(int direction) {
        int at = INTERVALS.indexOf(interval);
        int next = at < 0 ? 1 : Math.clamp(at + direction, 0, INTERVALS.size() - 1);
        interval = INTERVALS.get(next);
        refreshNow();
    }

    @Override
    public void close() {
        closed = true;
        refreshNow();
    }
}
