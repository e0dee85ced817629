package dev.pgo.tui.model;

import java.time.Instant;

/** A line of the events pane: something pgo did, saw change, or failed at. */
public record Event(Instant time, String cluster, Health level, String text) {
}
