package dev.pgo.tui.view;

import dev.pgo.backup.BackupEntry;
import dev.pgo.platform.Volume;
import dev.pgo.text.Ages;
import dev.pgo.text.Sizes;
import dev.pgo.tui.model.BackupRow;
import dev.pgo.tui.model.ClusterRow;
import dev.pgo.tui.model.Event;
import dev.pgo.tui.model.EventLog;
import dev.pgo.tui.model.Health;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import static dev.pgo.tui.view.TableView.Column.left;
import static dev.pgo.tui.view.TableView.Column.right;

/** The four top-level tables: their columns, in order of importance, and where their rows come from. */
public final class Panes {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Panes() {
    }

    public static TableView<ClusterRow> clusters() {
        return new TableView<>("Clusters", List.of(
                left("", 0, r -> r.health().symbol()),
                left("NAME", 0, ClusterRow::name),
                left("PHASE", 0, ClusterRow::phase),
                right("READY", 0, r -> r.ready() + "/" + r.instances()),
                left("PRIMARY", 2, ClusterRow::primary),
                right("VER", 5, ClusterRow::version),
                right("STORAGE", 3, r -> Sizes.human(r.storageUsed()) + "/" + r.storageSize()),
                right("CONN", 4, r -> r.connections() == null ? "-" : String.valueOf(r.connections())),
                right("TPS", 1, r -> r.tps() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.tps())),
                right("LAG", 2, r -> r.maxLagBytes() == null ? "-" : Sizes.human(r.maxLagBytes())),
                right("BACKUP", 3, r -> r.lastBackup() == null ? "none" : age(r.lastBackup()) + " ago"),
                left("PROBLEM", 6, r -> r.problem() == null ? "" : r.problem())),
                board -> board.clusters(), ClusterRow::name, r -> style(r.health()),
                "no clusters yet: c creates one");
    }

    public static TableView<Volume> volumes() {
        return new TableView<>("PVCs", List.of(
                left("NAME", 0, Volume::name),
                left("STATUS", 1, Volume::status),
                right("CAPACITY", 0, Volume::capacity),
                right("USED", 0, v -> Sizes.human(v.usedBytes())),
                left("CLUSTER", 1, v -> v.cluster() == null ? "-" : v.cluster()),
                left("INSTANCE", 2, v -> v.instance() == null ? "-" : v.instance()),
                left("LOCATION", 4, v -> v.location() == null ? "-" : v.location())),
                board -> board.volumes(), Volume::name, v -> "Bound".equals(v.status()) ? Style.NORMAL : Style.WARN,
                "no volumes");
    }

    public static TableView<BackupRow> backups() {
        return new TableView<>("Backups", List.of(
                left("CLUSTER", 0, b -> b.entry().cluster()),
                left("ID", 0, b -> b.entry().id()),
                left("TYPE", 3, b -> b.entry().type()),
                left("FINISHED", 1, b -> b.entry().stopTime() == null ? "-" : TIME.format(b.entry().stopInstant())),
                right("SIZE", 1, b -> b.entry().sizeBytes() == null ? "-" : Sizes.human(b.entry().sizeBytes())),
                right("TOOK", 2, b -> b.entry().durationSeconds() == null ? "-"
                        : String.format(Locale.ROOT, "%.1fs", b.entry().durationSeconds())),
                left("STATUS", 0, b -> String.valueOf(b.entry().status())),
                left("RECOVERABLE", 4, b -> b.window() == null ? "-"
                        : TIME.format(b.window().from()) + " .. " + TIME.format(b.window().to()))),
                board -> board.backups(), b -> b.entry().cluster() + "/" + b.entry().id(), Panes::style,
                "no backups yet: b on a cluster takes one");
    }

    public static TableView<Event> events(EventLog log) {
        return new TableView<>("Events", List.of(
                left("TIME", 0, e -> CLOCK.format(e.time())),
                left("", 0, e -> e.level().symbol()),
                left("CLUSTER", 2, e -> e.cluster() == null ? "-" : e.cluster()),
                left("WHAT", 0, Event::text)),
                board -> log.newestFirst(), e -> e.time() + e.text(), e -> style(e.level()),
                "nothing happened yet");
    }

    private static Style style(BackupRow b) {
        BackupEntry e = b.entry();
        return switch (e.status()) {
            case Failed -> Style.BAD;
            case Running -> Style.WARN;
            default -> Style.NORMAL;
        };
    }

    static Style style(Health health) {
        return switch (health) {
            case OK -> Style.NORMAL;
            case WARN -> Style.WARN;
            case BAD, UNREACHABLE -> Style.BAD;
        };
    }

    static String age(Instant then) {
        return Ages.of(Duration.between(then, Instant.now()));
    }

    static String clock(Instant at) {
        return CLOCK.format(at);
    }
}
