package dev.pgo.cmd.shell;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The promise behind Tab on a slow platform: completion answers even while the platform does
 * not, and the names arrive for a later Tab.
 */
class NameCacheTest {
    private static final Duration NEVER_STUCK = Duration.ofSeconds(10);

    @Test
    void aPlatformThatDoesNotAnswerDoesNotHoldTheTab() throws Exception {
        var cache = new NameCache();
        var answer = new CountDownLatch(1);
        var reads = new AtomicInteger();
        java.util.function.Supplier<List<String>> stuck = () -> {
            reads.incrementAndGet();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of("alpha", "beta");
        };
        assertEquals(List.of(), assertTimeoutPreemptively(NEVER_STUCK, () -> cache.get("clusters", stuck)),
                "no names yet: the Tab returns empty instead of waiting");
        assertEquals(List.of(), assertTimeoutPreemptively(NEVER_STUCK, () -> cache.get("clusters", stuck)));
        assertEquals(1, reads.get(), "a second Tab joins the read under way instead of starting another");

        answer.countDown();
        assertTimeoutPreemptively(NEVER_STUCK, () -> {
            while (!cache.get("clusters", stuck).equals(List.of("alpha", "beta"))) {
                Thread.sleep(10);
            }
        });
    }

    @Test
    void freshNamesAreNotReadAgainAndStaleOnesAreAnsweredWhileTheyAreReadAgain() throws Exception {
        var fresh = new NameCache(Duration.ofHours(1));
        assertEquals(List.of("alpha"), fresh.get("clusters", () -> List.of("alpha")));
        assertEquals(List.of("alpha"), fresh.get("clusters", () -> {
            throw new AssertionError("fresh names are not read again");
        }));

        var stale = new NameCache(Duration.ZERO);
        assertEquals(List.of("alpha"), stale.get("clusters", () -> List.of("alpha")));
        var answer = new CountDownLatch(1);
        java.util.function.Supplier<List<String>> slow = () -> {
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of("alpha", "gamma");
        };
        assertEquals(List.of("alpha"), assertTimeoutPreemptively(NEVER_STUCK, () -> stale.get("clusters", slow)),
                "the names last read, at once, while the platform is slow");
        answer.countDown();
        assertTimeoutPreemptively(NEVER_STUCK, () -> {
            while (!stale.get("clusters", slow).equals(List.of("alpha", "gamma"))) {
                Thread.sleep(10);
            }
        });
    }
}
