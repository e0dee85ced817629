package dev.pgo.tui;

import dev.pgo.tui.view.Line;
import dev.pgo.tui.view.Style;

import java.util.ArrayList;
import java.util.List;

/** The `?` pane: every key, in the order a first-time user needs them. */
final class Help {
    private Help() {
    }

    static List<Line> lines(boolean readonly) {
        var lines = new ArrayList<Line>();
        lines.add(Line.title("Moving around"));
        key(lines, "Up/Down, j/k", "move the selection");
        key(lines, "PgUp/PgDn, g/G", "a page up or down; the first or last row");
        key(lines, "Enter", "open: a cluster's details, a volume's files");
        key(lines, "Esc", "back; on a table, clear its filter");
        key(lines, "Tab, Shift-Tab", "next or previous view: Clusters, PVCs, Backups, Events");
        key(lines, "/", "filter the rows (Enter keeps it, Esc clears it)");
        key(lines, ":", "run a pgo command, e.g. show backup mycluster (Tab completes)");
        key(lines, "+ / -", "refresh less or more often");
        key(lines, "R", "refresh now");
        key(lines, "p", "in a cluster's details: show or hide the password");
        key(lines, "?", "this help");
        key(lines, "q, Ctrl-C", "quit");
        lines.add(Line.of(""));
        lines.add(Line.title("Actions on the selected cluster"));
        if (readonly) {
            lines.add(new Line("  off: pgo tui runs read-only (--readonly); `:` runs show, help and version only",
                    Style.WARN));
        } else {
            key(lines, "c", "create a cluster: name, instances, PostgreSQL version, storage");
            key(lines, "b", "take a backup");
            key(lines, "r", "restore into a new cluster: a backup or a point in time (also on the Backups view)");
            key(lines, "s", "scale: the number of replicas");
            key(lines, "f", "switchover, or failover when the primary is lost");
            key(lines, "d", "delete, after typing the cluster's name");
            lines.add(Line.of("  Each action is the pgo command of the same name; its progress and result show"));
            lines.add(Line.of("  above the key line and in the Events view."));
        }
        lines.add(Line.of(""));
        lines.add(Line.title("Symbols"));
        lines.add(Line.of("  !  needs attention (not all ready, updating, lag)"));
        lines.add(Line.of("  X  failed or no instance ready"));
        lines.add(Line.of("  ?  unreachable: no answer within the refresh deadline"));
        return lines;
    }

    private static void key(List<Line> lines, String key, String what) {
        lines.add(new Line(String.format("  %-16s %s", key, what), Style.NORMAL));
    }
}
