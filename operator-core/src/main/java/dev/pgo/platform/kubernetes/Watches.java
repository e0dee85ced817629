package dev.pgo.platform.kubernetes;

import dev.pgo.Pause;
import dev.pgo.PgoException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Starts a watch (an informer: a list, then a watch from it) and tries again while its first
 * list or watch fails. Once started, an informer lists and watches again by itself after a
 * dropped watch or a 410 Gone; the first start is what an API server that is restarting, or
 * busy, can make fail.
 */
public final class Watches {
    private static final Logger LOG = LoggerFactory.getLogger(Watches.class);
    private static final int ATTEMPTS = 10;
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    private Watches() {
    }

    /** {@code make} gives an informer not started yet, with its handlers and indexers; this starts it. */
    public static <T> SharedIndexInformer<T> start(String what, Supplier<SharedIndexInformer<T>> make) {
        Duration wait = Duration.ofMillis(200);
        for (int attempt = 1; ; attempt++) {
            SharedIndexInformer<T> informer = make.get();
            try {
                informer.run();
                return informer;
            } catch (RuntimeException e) {
                informer.close();
                if (attempt == ATTEMPTS) {
                    throw new PgoException("cannot watch " + what + " (" + ATTEMPTS + " attempts): " + e.getMessage());
                }
                LOG.info("watching {} failed ({}); trying again in {} ms", what, e.getMessage(), wait.toMillis());
                Pause.sleep(wait, "interrupted while starting to watch " + what);
                wait = Pause.doubled(wait, LONGEST_WAIT);
            }
        }
    }
}
