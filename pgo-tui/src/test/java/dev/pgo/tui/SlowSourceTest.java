package dev.pgo.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.pgo.testing.Clusters;
import dev.pgo.tui.action.ActionQueue;
import dev.pgo.tui.action.CommandLineSupport;
import dev.pgo.tui.data.ClusterFacts;
import dev.pgo.tui.data.DataSource;
import dev.pgo.tui.data.Snapshot;
import dev.pgo.tui.model.Dashboard;
import dev.pgo.tui.model.EventLog;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise that a platform which does not answer never freezes the screen: while the data
 * source is stuck in a read, keys still work and the header says the refresh is waiting; when
 * it answers, its clusters appear.
 */
class SlowSourceTest {
    /** A data source whose reads wait until {@link #answer()}; then one cluster, alpha. */
    private static final class StuckSource implements DataSource {
        private final CountDownLatch answered = new CountDownLatch(1);

        @Override
        public Snapshot read() {
            try {
                answered.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            var alpha = Clusters.spec("alpha", 1);
            return new Snapshot(List.of(new ClusterFacts(alpha, null, null, List.of(), null, null)), List.of(),
                    Clock.systemUTC().instant());
        }

        void answer() {
            answered.countDown();
        }

        @Override
        public List<String> volumeTree(String volume) {
            return List.of();
        }

        @Override
        public Optional<String> password(String cluster) {
            return Optional.empty();
        }
    }

    @Test
    void keysWorkWhileARefreshIsStuckAndTheHeaderSaysSo() throws Exception {
        var source = new StuckSource();
        var screen = new VirtualScreen(100, 24);
        var tui = new AtomicReference<Tui>();
        Runnable changed = () -> {
            if (tui.get() != null) {
                tui.get().changed();
            }
        };
        var events = new EventLog(changed);
        var clock = Clock.systemUTC();
        try (var dashboard = new Dashboard(source, events, Duration.ofSeconds(1), clock, changed);
             var actions = new ActionQueue((args, out, err) -> {
                 throw new AssertionError("no action is asked for");
             }, events, clock, changed)) {
            tui.set(new Tui(screen.screen(), dashboard, actions, source, CommandLineSupport.PLAIN,
                    new Tui.Settings("local", "/nowhere", "none needed", false, true), clock));
            screen.start(tui.get());
            try {
                screen.await("the header saying the refresh waits", t -> t.contains("refreshed not yet")
                        && t.matches("(?s).*\\(waiting [2-9]s\\).*"));
                screen.type("?");
                screen.await("the help, while the read is stuck", t -> t.contains("Moving around"));
                screen.press(KeyType.Escape);
                screen.press(KeyType.Tab);
                screen.await("the PVCs view, while the read is stuck", t -> t.contains("[PVCs]"));
                screen.press(KeyType.ReverseTab);
                assertTrue(screen.await("the clusters view", t -> t.contains("[Clusters]"))
                        .contains("no clusters yet"));

                source.answer();
                screen.await("alpha once the source answers", t -> t.contains("alpha") && !t.contains("waiting"));
            } finally {
                source.answer();
                screen.close();
            }
        }
    }
}
