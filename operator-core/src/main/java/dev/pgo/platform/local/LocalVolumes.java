package dev.pgo.platform.local;

import dev.pgo.PgoException;
import dev.pgo.platform.Volume;
import dev.pgo.platform.VolumeCatalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Local PVCs: directories under $PGO_HOME/volumes with pgo's metadata file. */
final class LocalVolumes implements VolumeCatalog {
    private final LocalInstances instances;

    LocalVolumes(LocalInstances instances) {
        this.instances = instances;
    }

    @Override
    public List<Volume> list() {
        return instances.allVolumes().stream().map(LocalVolumes::describe).toList();
    }

    @Override
    public Optional<Volume> get(String name) {
        return instances.findVolume(name).map(LocalVolumes::describe);
    }

    private static Volume describe(LocalVolume volume) {
        var meta = volume.metadata().orElseThrow();
        return new Volume(volume.name(), meta.capacity(), usedBytes(volume.dir()), "Bound", "local", meta.cluster(),
                meta.instance(),
                volume.dir().toString(), meta.created());
    }

    static long usedBytes(Path dir) {
        return dev.pgo.FileTrees.size(dir);
    }

    @Override
    public List<String> tree(String name, int maxDepth, int maxEntries) {
        LocalVolume volume = instances.findVolume(name)
                .orElseThrow(() -> new PgoException("no PVC named " + name, "pgo show pvc all lists them"));
        var lines = new ArrayList<String>();
        walk(volume.dir(), 0, maxDepth, maxEntries, lines);
        return lines;
    }

    private static void walk(Path dir, int depth, int maxDepth, int maxEntries, List<String> lines) {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        } catch (IOException e) {
            return;
        }
        for (Path child : children) {
            if (lines.size() >= maxEntries) {
                if (!lines.getLast().endsWith("...")) {
                    lines.add("  ".repeat(depth) + "...");
                }
                return;
            }
            boolean isDir = Files.isDirectory(child);
            lines.add("  ".repeat(depth) + child.getFileName() + (isDir ? "/" : ""));
            if (isDir && depth + 1 < maxDepth) {
                walk(child, depth + 1, maxDepth, maxEntries, lines);
            }
        }
    }
}
