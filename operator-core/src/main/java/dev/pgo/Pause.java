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
}
