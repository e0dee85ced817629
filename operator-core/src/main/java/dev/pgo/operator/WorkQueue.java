package dev.pgo.operator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Work per key (a cluster), never two at once for the same key, like client-go's work queue: a key
 * added while it is being worked on is worked on again right after; a key added many times while
 * waiting runs once. The worker says when to come back: now and then to watch progress, or after
 * a failure with a delay that doubles up to a ceiling.
 */
public final class WorkQueue<K> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

    /** What the worker asks for after working on a key. */
    public sealed interface Outcome {
        /** Done until something changes (or the periodic resync). */
        record Done() implements Outcome {
        }

        /** Look again after this long: work is under way, e.g. a pod is starting. */
        record After(Duration delay) implements Outcome {
        }

        /** It failed; try again with backoff. */
        record Failed() implements Outcome {
        }
    }

    private final Function<K, Outcome> worker;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Set<K> queued = new HashSet<>();
    private final Set<K> running = new HashSet<>();
    private final Set<K> dirty = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private boolean closed;

    public WorkQueue(String name, int threads, Duration baseDelay, Duration maxDelay, Function<K, Outcome> worker) {
        this.worker = worker;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.workers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name(name + "-", 0).daemon().factory());
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name + "-timer").daemon().factory());
    }

    /** Work on {@code key} soon. */
    public synchronized void add(K key) {
        if (closed) {
            return;
        }
        if (running.contains(key)) {
            dirty.add(key);
        } else if (queued.add(key)) {
            workers.execute(() -> work(key));
        }
    }

    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        timer.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many times in a row the key failed. */
    public synchronized int failures(K key) {
        return failures.getOrDefault(key, 0);
    }

    /** The delay after {@code failures} failures in a row: base, 2×base, 4×base, ... up to the ceiling. */
    Duration backoff(int failures) {
        long millis = baseDelay.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }

    private void work(K key) {
        synchronized (this) {
            queued.remove(key);
            running.add(key);
        }
        Outcome outcome;
        try {
            outcome = worker.apply(key);
        } catch (RuntimeException e) {
            LOG.warn("working on {} failed: {}", key, e.toString());
            outcome = new Outcome.Failed();
        }
        Duration again = null;
        synchronized (this) {
            running.remove(key);
            switch (outcome) {
                case Outcome.Done d -> failures.remove(key);
                case Outcome.After a -> {
                    failures.remove(key);
                    again = a.delay();
                }
                case Outcome.Failed f -> {
                    int n = failures.merge(key, 1, Integer::sum);
                    again = backoff(n);
                }
            }
            if (dirty.remove(key)) {
                // changed while we worked: look now, whatever the outcome asked for
                again = Duration.ZERO;
            }
        }
        if (again != null) {
            addAfter(key, again);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
