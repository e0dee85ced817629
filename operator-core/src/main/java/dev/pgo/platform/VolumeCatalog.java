package dev.pgo.platform;

import java.util.List;
import java.util.Optional;

/** The volumes (PVCs) pgo made, for `pgo show pvc`. */
public interface VolumeCatalog {
    List<Volume> list();

    Optional<Volume> get(String name);

    /** The files under a volume, as indented lines, at most {@code maxEntries}. */
    List<String> tree(String name, int maxDepth, int maxEntries);
}
