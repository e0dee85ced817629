package dev.pgo.tui.data;

import dev.pgo.reconcile.LiveFigures;
import dev.pgo.reconcile.LiveStatus;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster that does not answer within the deadline shows as unreachable while the others
 * show as read; its read is not started again while it hangs, and its answer counts once it comes.
 */
class PlatformSourceTest {
    @Test
    void aClusterThatHangsIsUnreachableAndDoesNotHoldTheOthers() {
        try (var home = new TempPgoHome(); var pools = new ConnectionPools(Duration.ofSeconds(1))) {
            var platform = home.platform();
            platform.clusters().apply(Clusters.spec("alpha", 1));
            platform.clusters().apply(Clusters.spec("bravo", 1));
            var bravoAnswers = new CountDownLatch(1);
            var bravoReads = new AtomicInteger();
            try (var source = new PlatformSource(platform, cluster -> {
                if (cluster.name().equals("bravo")) {
                    bravoReads.incrementAndGet();
                    try {
                        bravoAnswers.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new LiveStatus.LiveView(cluster, null);
            }, new LiveFigures(platform, pools), null, Duration.ofMillis(300), Clock.systemUTC())) {
                Snapshot first = source.read();
                assertEquals(2, first.clusters().size());
                assertNull(first.clusters().get(0).unreachable(), "alpha answered");
                assertTrue(first.clusters().get(1).unreachable().contains("no answer within"),
                        String.valueOf(first.clusters().get(1)));

                Snapshot second = source.read();
                assertTrue(second.clusters().get(1).unreachable() != null, "still hanging");
                assertEquals(1, bravoReads.get(), "the hanging read is waited for again, not started again");

                bravoAnswers.countDown();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                Snapshot later = source.read();
                while (later.clusters().get(1).unreachable() != null && System.nanoTime() < deadline) {
                    later = source.read();
                }
                assertNull(later.clusters().get(1).unreachable(), "bravo answered at last");
            }
        }
    }
}
