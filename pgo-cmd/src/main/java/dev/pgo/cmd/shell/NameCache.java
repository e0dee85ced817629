package dev.pgo.cmd.shell;

import dev.pgo.cmd.complete.Names;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Names for the shell's completion, kept a few seconds and refreshed in the background: a Tab
 * never waits on a slow platform longer than {@link #FIRST_WAIT} the first time, and never at
 * all after that (it gets what was last read while a fresh read runs).
 */
public final class NameCache implements Names.Cache {
    static final Duration FRESH = Duration.ofSeconds(5);
    static final Duration FIRST_WAIT = Duration.ofMillis(800);

    private record Entry(List<String> names, long readAt) {
    }

    private final Duration fresh;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<List<String>>> reading = new ConcurrentHashMap<>();

    public NameCache() {
        this(FRESH);
    }

    /** Names younger than {@code fresh} are answered without a new read. */
    NameCache(Duration fresh) {
        this.fresh = fresh;
    }

    @Override
    public List<String> get(String key, Supplier<List<String>> read) {
        Entry entry = entries.get(key);
        if (entry != null) {
            if (System.nanoTime() - entry.readAt() > fresh.toNanos()) {
                refresh(key, read);
            }
            return entry.names();
        }
        try {
            return refresh(key, read).get(FIRST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return List.of(); // the names arrive for the next Tab
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** One read at a time per key, on a virtual thread. */
    private CompletableFuture<List<String>> refresh(String key, Supplier<List<String>> read) {
        return reading.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> {
            try {
                List<String> names = read.get();
                entries.put(key, new Entry(names, System.nanoTime()));
                return names;
            } finally {
                reading.remove(key);
            }
        }, command -> Thread.ofVirtual().name("pgo-names").start(command)));
    }
}
