package dev.pgo.cmd;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Long work that Ctrl-C (or SIGTERM) cancels cleanly: the signal interrupts the working thread,
 * which stops its programs and records the outcome, and the process ends only after that (or
 * after a grace period).
 */
public final class Cancellable {
    private static final Duration GRACE = Duration.ofSeconds(20);

    private Cancellable() {
    }

    public static <T> T run(Supplier<T> work) {
        Thread worker = Thread.currentThread();
        var done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            worker.interrupt();
            try {
                done.await(GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        boolean shuttingDown = false;
        try {
            return work.get();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                shuttingDown = true; // the hook runs already: the JVM ends when it returns
            }
            if (!shuttingDown) {
                Thread.interrupted(); // a cancellation that came too late to matter is not carried on
            }
        }
    }
}
