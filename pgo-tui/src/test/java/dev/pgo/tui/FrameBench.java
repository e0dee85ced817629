package dev.pgo.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.Phase;
import dev.pgo.sql.ServerActivity;
import dev.pgo.testing.Clusters;
import dev.pgo.tui.action.ActionQueue;
import dev.pgo.tui.action.CommandLineSupport;
import dev.pgo.tui.data.ClusterFacts;
import dev.pgo.tui.data.DataSource;
import dev.pgo.tui.data.Snapshot;
import dev.pgo.tui.model.Dashboard;
import dev.pgo.tui.model.EventLog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Frame time of the dashboard with many clusters: from a new reading to the frame drawn on the
 * terminal (the model built from the reading, its events, the clusters view laid out and the
 * changed cells sent), and the memory it takes. Run by scripts/bench-tui.sh, not by the tests:
 * speed is measured here, never asserted in a test.
 *
 * <p>Arguments: clusters (default 1000), frames (default 300), columns and rows (default 200 50).
 */
public final class FrameBench {
    private FrameBench() {
    }

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int columns = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int rows = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        var source = new Readings(clusters);
        var clock = Clock.systemUTC();
        var events = new EventLog(() -> { });
        var terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        var screen = new TerminalScreen(terminal);
        try (var dashboard = new Dashboard(source, events, Duration.ofHours(1), clock, () -> { });
             var actions = new ActionQueue((a, out, err) -> 0, events, clock, () -> { })) {
            var tui = new Tui(screen, dashboard, actions, source, CommandLineSupport.PLAIN,
                    new Tui.Settings("local", "/bench", "none needed", false, true), clock);
            screen.startScreen();
            for (int i = 0; i < Math.max(100, frames / 2); i++) { // warm-up: the JIT compiles the hot paths
                dashboard.refreshOnce();
                tui.draw();
            }
            long[] total = new long[frames];
            long[] drawOnly = new long[frames];
            for (int i = 0; i < frames; i++) {
                long start = System.nanoTime();
                dashboard.refreshOnce();
                long model = System.nanoTime();
                tui.draw();
                long end = System.nanoTime();
                total[i] = end - start;
                drawOnly[i] = end - model;
            }
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long heap = rt.totalMemory() - rt.freeMemory();
            System.out.printf(Locale.ROOT, "clusters=%d frames=%d terminal=%dx%d%n", clusters, frames, columns, rows);
            System.out.printf(Locale.ROOT, "frame (reading to drawn): median %.2f ms, p95 %.2f ms, max %.2f ms%n",
                    ms(total, 0.5), ms(total, 0.95), ms(total, 1.0));
            System.out.printf(Locale.ROOT, "draw only: median %.2f ms, p95 %.2f ms%n", ms(drawOnly, 0.5), ms(drawOnly, 0.95));
            System.out.printf(Locale.ROOT, "heap after GC: %.1f MiB; RSS: %s%n", heap / 1048576.0, rss());
            screen.stopScreen();
        }
    }

    private static double ms(long[] nanos, double quantile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int at = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, at)] / 1e6;
    }

    private static String rss() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "unknown";
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> l.substring(6).strip()).findFirst().orElse("unknown");
    }

    /** Readings of {@code count} three-instance clusters whose counters move between readings. */
    private static final class Readings implements DataSource {
        private final int count;
        private int reading;

        Readings(int count) {
            this.count = count;
        }

        @Override
        public Snapshot read() {
            reading++;
            var facts = new ArrayList<ClusterFacts>(count);
            for (int i = 0; i < count; i++) {
                PgCluster cluster = Clusters.spec(String.format(Locale.ROOT, "cluster-%04d", i), 3);
                var status = new PgClusterStatus();
                status.setPhase(i % 50 == 0 ? Phase.Updating : Phase.Running);
                status.setReadyInstances(i % 50 == 0 ? 2 : 3);
                status.setPrimary(cluster.name() + "-0");
                for (int n = 0; n < 3; n++) {
                    var instance = new InstanceStatus();
                    instance.setName(cluster.name() + "-" + n);
                    instance.setRole(n == 0 ? "primary" : "replica");
                    instance.setLagBytes(n == 0 ? null : (long) (reading * 1000 + i));
                    status.getInstances().add(instance);
                }
                cluster.setStatus(status);
                facts.add(new ClusterFacts(cluster, null, new ServerActivity(10 + i % 7, reading * 500L + i, 1L << 28),
                        List.of(), null, null));
            }
            return new Snapshot(facts, List.of(), Instant.now());
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
}
