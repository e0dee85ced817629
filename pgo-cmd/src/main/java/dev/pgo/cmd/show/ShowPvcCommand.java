package dev.pgo.cmd.show;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.ExitCodes;
import dev.pgo.cmd.output.Printer;
import dev.pgo.text.Sizes;
import dev.pgo.cmd.output.Table;
import dev.pgo.platform.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** `pgo show pvc NAME... | all`: a volume's details and its file tree, or every volume. */
@Command(name = "pvc",
        description = {"Show volumes (PVCs): a named one with its details and file tree, or all of them.",
                "Data volumes are named pgdata-<instance>, e.g. pgdata-mycluster-0."},
        footer = {"", "Examples:", "  pgo show pvc all", "  pgo show pvc pgdata-mycluster-0 --depth 2"})
public final class ShowPvcCommand implements CompletesNames, Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "PVC names, or 'all'.")
    List<String> names;

    @Option(names = "--depth", paramLabel = "N", description = "How deep to list the file tree (default ${DEFAULT-VALUE}).",
            defaultValue = "2")
    int depth;

    @Mixin
    ShowOptions options;

    public ShowPvcCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        var volumes = context.platform().volumes();
        boolean all = names.size() == 1 && names.getFirst().equals("all");
        int exit = ExitCodes.OK;
        var found = new ArrayList<Volume>();
        if (all) {
            found.addAll(volumes.list());
        } else {
            for (String name : names) {
                Optional<Volume> volume = volumes.get(name);
                if (volume.isEmpty()) {
                    context.err().println("error: no PVC named " + name + " (pgo show pvc all lists them)");
                    exit = ExitCodes.ERROR;
                } else {
                    found.add(volume.get());
                }
            }
        }
        switch (options.output) {
            case json, yaml -> Printer.structured(context.out(), options.output, found, !all);
            case name -> found.forEach(v -> context.out().println("pvc/" + v.name()));
            case table, wide -> {
                if (all) {
                    printTable(found);
                } else {
                    found.forEach(this::printDetail);
                }
            }
        }
        return exit;
    }

    private void printTable(List<Volume> found) {
        if (found.isEmpty()) {
            context.err().println("no PVCs on " + context.platform().name() + " (" + context.platform().location() + ")");
            return;
        }
        boolean wide = options.output == dev.pgo.cmd.output.OutputFormat.wide;
        var table = wide ? new Table("NAME", "STATUS", "CAPACITY", "USED", "CLUSTER", "INSTANCE", "STORAGECLASS", "VOLUME")
                : new Table("NAME", "STATUS", "CAPACITY", "USED", "CLUSTER", "INSTANCE");
        for (Volume v : found) {
            if (wide) {
                table.row(v.name(), v.status(), v.capacity(), Sizes.human(v.usedBytes()), v.cluster(), v.instance(),
                        v.storageClass(), v.location());
            } else {
                table.row(v.name(), v.status(), v.capacity(), Sizes.human(v.usedBytes()), v.cluster(), v.instance());
            }
        }
        table.print(context.out(), !options.noHeaders);
    }

    private void printDetail(Volume v) {
        var out = context.out();
        var table = new Table("", "");
        table.row("PVC:", v.name());
        table.row("Status:", v.status());
        table.row("Capacity:", v.capacity());
        table.row("Used:", Sizes.human(v.usedBytes()));
        table.row("Storage class:", v.storageClass());
        table.row("Cluster:", v.cluster());
        table.row("Instance:", v.instance());
        table.row(context.platform().name().equals("local") ? "Path:" : "Volume:", v.location());
        table.row("Created:", v.created());
        table.print(out, false);
        out.println();
        out.println("Files");
        for (String line : context.platform().volumes().tree(v.name(), depth, 200)) {
            out.println("  " + line);
        }
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return Names.withAll(names.volumes());
    }
}
