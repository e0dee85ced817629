package dev.pgo.tui.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two boards, as events: a cluster that appeared or went, a phase or a
 * primary that changed, a cluster that stopped or started answering. The first board reports
 * only what is wrong.
 */
public final class Changes {
    private Changes() {
    }

    public static List<Event> between(Board before, Board after, Instant at) {
        var events = new ArrayList<Event>();
        Map<String, ClusterRow> old = new HashMap<>();
        before.clusters().forEach(r -> old.put(r.name(), r));
        boolean first = before.refreshedAt() == null;
        for (ClusterRow row : after.clusters()) {
            ClusterRow was = old.remove(row.name());
            if (was == null) {
                if (!first) {
                    events.add(new Event(at, row.name(), Health.OK, row.kind() + " " + row.name() + " appeared ("
                            + row.phase() + ")"));
                }
                if (row.problem() != null) {
                    events.add(new Event(at, row.name(), row.health(), row.name() + ": " + row.problem()));
                }
                continue;
            }
            if (!was.phase().equals(row.phase())) {
                events.add(new Event(at, row.name(), row.health(), row.name() + ": phase " + was.phase() + " -> "
                        + row.phase() + (row.problem() == null ? "" : " (" + row.problem() + ")")));
            } else if (row.health() != was.health() && row.problem() != null) {
                events.add(new Event(at, row.name(), row.health(), row.name() + ": " + row.problem()));
            } else if (row.health() == Health.OK && was.health() != Health.OK) {
                events.add(new Event(at, row.name(), Health.OK, row.name() + ": healthy again"));
            }
            if (!Objects.equals(was.primary(), row.primary()) && !"-".equals(row.primary())) {
                events.add(new Event(at, row.name(), Health.WARN, row.name() + ": primary " + was.primary() + " -> "
                        + row.primary()));
            }
        }
        old.keySet().forEach(name -> events.add(new Event(at, name, Health.OK, name + " is gone")));
        return events;
    }
}
