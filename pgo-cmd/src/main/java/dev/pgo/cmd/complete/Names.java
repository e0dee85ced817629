package dev.pgo.cmd.complete;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.InstanceNames;
import dev.pgo.backup.BackupEntry;
import dev.pgo.cmd.CliContext;
import dev.pgo.platform.Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Live names on the platform the command line chose, for completion. Nothing is read until a
 * name is asked for, and a platform that cannot be read offers no names rather than an error:
 * completion must never get in the way of typing.
 */
public final class Names {
    /** Where names may be kept between questions: the interactive shell keeps them a few seconds. */
    @FunctionalInterface
    public interface Cache {
        List<String> get(String key, Supplier<List<String>> read);
    }

    private final CliContext context;
    private final Cache cache;

    public Names(CliContext context) {
        this(context, (key, read) -> read.get());
    }

    public Names(CliContext context, Cache cache) {
        this.context = context;
        this.cache = cache;
    }

    /** Clusters and databases of {@code kind}, or of both when null. */
    public List<String> clusters(ClusterKind kind) {
        return quietly("clusters " + kind, () -> context.platform().clusters().names(kind));
    }

    public List<String> volumes() {
        return quietly("volumes", () -> context.platform().volumes().list().stream().map(Volume::name).toList());
    }

    public List<String> backupIds(String cluster) {
        return quietly("backups " + cluster, () -> context.backups().list(cluster).stream().map(BackupEntry::id).toList());
    }

    /** The instances a cluster's spec wants. */
    public List<String> instances(String cluster) {
        return quietly("instances " + cluster, () -> context.platform().clusters().wantedInstances(cluster)
                .map(count -> InstanceNames.instances(cluster, count)).orElse(List.of()));
    }

    /** {@code names} with "all" first, for the show commands that take it. */
    public static List<String> withAll(List<String> names) {
        var all = new ArrayList<String>();
        all.add("all");
        all.addAll(names);
        return all;
    }

    private List<String> quietly(String key, Supplier<List<String>> read) {
        return cache.get(key, () -> {
            try {
                return read.get();
            } catch (RuntimeException e) {
                return List.of();
            }
        });
    }
}
