package dev.pgo;

import java.time.Duration;

/** A wait between two polls. An interrupt ends the wait with a PgoException and the thread's flag kept set. */
public final class Pause {
    private Pause() {
    }

    public static void sleep(Duration duration, String interruptedMessage) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgoException(interruptedMessage);
        }
    }

    /** The next wait of a backoff: twice this one, at most {@code longest}. */
    public static Duration doubled(Duration wait, Duration longest) {
        Duration twice = wait.multipliedBy(2);
        return twice.compareTo(longest) > 0 ? longest : twice;
    }
}
