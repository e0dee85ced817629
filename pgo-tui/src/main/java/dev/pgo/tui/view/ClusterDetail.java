package dev.pgo.tui.view;

import dev.pgo.api.v1.Condition;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.text.Sizes;
import dev.pgo.tui.data.ClusterFacts;
import dev.pgo.tui.model.Board;
import dev.pgo.tui.model.ClusterRow;
import dev.pgo.tui.model.Event;
import dev.pgo.tui.model.EventLog;
import dev.pgo.validate.SpecValidator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The lines of a cluster's detail pane: summary, connection (the password only once asked
 * for), instances with role, state, timeline, LSN and lag, roles and databases as the primary
 * reports them, backups, and the cluster's recent events.
 */
public final class ClusterDetail {
    private ClusterDetail() {
    }

    /** {@code password} is null while hidden, else what to show (the password, or "reading..."). */
    public static List<Line> lines(String name, Board board, EventLog events, Supplier<String> password) {
        var lines = new ArrayList<Line>();
        ClusterFacts facts = board.facts(name).orElse(null);
        if (facts == null) {
            lines.add(new Line(board.refreshedAt() == null ? "reading..." : name + " is gone", Style.DIM));
            return lines;
        }
        PgCluster cluster = facts.cluster();
        PgClusterStatus status = cluster.getStatus() == null ? new PgClusterStatus() : cluster.getStatus();
        ClusterRow row = board.row(name).orElse(null);
        lines.add(Line.title(cluster.clusterKind().label() + " " + name + ": " + (row == null ? "" : row.phase())
                + ", " + (row == null ? "?" : row.ready() + "/" + row.instances()) + " ready, primary "
                + (status.getPrimary() == null ? "-" : status.getPrimary()) + ", PostgreSQL "
                + cluster.getSpec().getPostgresVersion() + ", " + cluster.getSpec().getStorage().getSize()
                + " per instance"));
        if (row != null && row.problem() != null) {
            lines.add(new Line("Problem: " + row.problem(), Panes.style(row.health())));
        }
        Condition reconciled = status.condition(Condition.RECONCILED);
        if (reconciled != null && !reconciled.isTrue() && reconciled.getMessage() != null) {
            lines.add(new Line("Reconciled: " + reconciled.getMessage(), Style.WARN));
        }
        lines.add(Line.of(""));
        lines.add(Line.title("Connection"));
        if (status.getEndpoints() != null) {
            lines.add(Line.of("  Read-write: " + withUser(status.getEndpoints().getReadWrite())));
            lines.add(Line.of("  Read-only:  " + withUser(status.getEndpoints().getReadOnly())));
        }
        String shown = password.get();
        lines.add(Line.of("  Password:   " + (shown == null ? "(hidden; p shows it)" : shown)));

        lines.add(Line.of(""));
        lines.add(Line.title("Instances"));
        var instances = new ArrayList<String[]>();
        instances.add(new String[]{"NAME", "ROLE", "STATE", "READY", "TIMELINE", "LSN", "LAG"});
        for (InstanceStatus i : status.getInstances()) {
            instances.add(new String[]{i.getName(), i.getRole(), i.getState(), i.isReady() ? "yes" : "no",
                    i.getTimeline() == null ? "-" : String.valueOf(i.getTimeline()), text(i.getLsn()),
                    i.getLagBytes() == null ? "-" : Sizes.human(i.getLagBytes())});
        }
        table(lines, instances);


        var catalog = facts.catalog();
        named(lines, "Roles", "FLAGS", cluster.getSpec().getUsers(), flags -> String.join(",", flags),
                role -> catalog == null ? null : catalog.roles().containsKey(role));
        named(lines, "Databases", "OWNER", cluster.getSpec().getDatabases(), owner -> owner,
                db -> catalog == null ? null : catalog.databaseOwners().containsKey(db));

        lines.add(Line.of(""));
        lines.add(Line.title("Backups"));
        long restorable = facts.backups().stream().filter(b -> b.status().restorable()).count();
        lines.add(Line.of("  " + facts.backups().size() + " taken, " + restorable + " restorable"
                + (row == null || row.lastBackup() == null ? "" : ", last " + Panes.age(row.lastBackup()) + " ago")));
        lines.add(Line.of("  Recoverable: " + (facts.window() == null ? "nothing yet"
                : "any moment from " + facts.window().from() + " to " + facts.window().to())));

        lines.add(Line.of(""));
        lines.add(Line.title("Recent events"));
        List<Event> recent = events.of(name, 10);
        if (recent.isEmpty()) {
            lines.add(new Line("  none seen since pgo tui started", Style.DIM));
        }
        for (Event e : recent) {
            lines.add(new Line("  " + Panes.clock(e.time()) + " " + e.level().symbol() + " " + e.text(),
                    Panes.style(e.level())));
        }
        return lines;
    }

    /**
     * A section of things the spec names (roles, databases) with a detail and whether the
     * primary has them ({@code exists} gives null when nobody could ask it); none when empty.
     */
    private static <V> void named(List<Line> lines, String title, String detail, java.util.Map<String, V> wanted,
                                  java.util.function.Function<V, String> describe,
                                  java.util.function.Function<String, Boolean> exists) {
        if (wanted == null || wanted.isEmpty()) {
            return;
        }
        lines.add(Line.of(""));
        lines.add(Line.title(title));
        var rows = new ArrayList<String[]>();
        rows.add(new String[]{"NAME", detail, "EXISTS"});
        wanted.forEach((name, value) -> {
            Boolean there = exists.apply(name);
            rows.add(new String[]{name, describe.apply(value), there == null ? "unknown" : there ? "yes" : "not yet"});
        });
        table(lines, rows);
    }

    private static String withUser(String uri) {
        return uri == null ? "-" : uri.replace("postgresql://", "postgresql://" + SpecValidator.SUPERUSER + "@");
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }

    /** Rows of cells as aligned lines, the first row as the header. */
    private static void table(List<Line> lines, List<String[]> rows) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], text(row[c]).length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            var text = new StringBuilder(" ");
            for (int c = 0; c < columns; c++) {
                String cell = text(rows.get(r)[c]);
                text.append(' ').append(cell).append(" ".repeat(widths[c] - cell.length() + 1));
            }
            lines.add(new Line(text.toString().stripTrailing(), r == 0 ? Style.HEADER : Style.NORMAL));
        }
        if (rows.size() == 1) {
            lines.add(new Line("  none yet", Style.DIM));
        }
    }
}
