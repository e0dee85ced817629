package dev.pgo.tui.data;

import java.util.List;
import java.util.Optional;

/**
 * Where the dashboard's facts come from. Every method may be slow (a platform that does not
 * answer); the dashboard calls them off the drawing thread only.
 */
public interface DataSource {
    /** Everything the views show, read once. */
    Snapshot read();

    /** The files under a volume, as indented lines. */
    List<String> volumeTree(String volume);

    /** The superuser's password of a cluster, for the user who asked to see it. */
    Optional<String> password(String cluster);
}
