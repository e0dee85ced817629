package dev.pgo.cmd.show;

import dev.pgo.text.Ages;
import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.ExitCodes;
import dev.pgo.cmd.output.OutputFormat;
import dev.pgo.cmd.output.Printer;
import dev.pgo.cmd.output.Table;
import dev.pgo.reconcile.LiveStatus;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Shared by `show cluster` and `show database`: named ones in detail, `all` as a table. */
abstract class ShowClustersBase implements Callable<Integer>, CompletesNames {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    protected final CliContext context;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Names to show, or 'all'.")
    List<String> names;

    @Option(names = "--show-secrets", description = "Include passwords in connection info.")
    boolean showSecrets;

    @Mixin
    ShowOptions options;

    ShowClustersBase(CliContext context) {
        this.context = context;
    }

    abstract ClusterKind kind();

    @Override
    public Integer call() {
        var store = context.platform().clusters();
        boolean all = names.size() == 1 && names.getFirst().equals("all");
        int exit = ExitCodes.OK;
        var views = new ArrayList<LiveStatus.LiveView>();
        if (all) {
            for (PgCluster cluster : store.list()) {
                if (cluster.clusterKind() == kind()) {
                    views.add(context.view(cluster));
                }
            }
        } else {
            for (String name : names) {
                Optional<PgCluster> cluster = store.get(name);
                if (cluster.isEmpty()) {
                    context.err().println("error: no " + kind().label() + " named " + name
                            + " (pgo show " + kind().label() + " all lists them)");
                    exit = ExitCodes.ERROR;
                } else {
                    views.add(context.view(cluster.get()));
                }
            }
        }
        List<PgCluster> clusters = views.stream().map(LiveStatus.LiveView::cluster).toList();
        switch (options.output) {
            case json, yaml -> Printer.structured(context.out(), options.output, clusters, !all);
            case name -> clusters.forEach(c -> context.out().println("pgcluster/" + c.name()));
            case table, wide -> {
                if (all) {
                    printSummary(clusters);
                } else {
                    for (int i = 0; i < views.size(); i++) {
                        if (i > 0) {
                            context.out().println();
                        }
                        new ClusterReport(context, views.get(i), showSecrets, options.output == OutputFormat.wide)
                                .print(context.out());
                    }
                }
            }
        }
        return exit;
    }

    private void printSummary(List<PgCluster> clusters) {
        if (clusters.isEmpty()) {
            context.err().println("no " + kind().label() + "s on " + context.platform().name()
                    + " (" + context.platform().location() + ")");
            return;
        }
        boolean wide = options.output == OutputFormat.wide;
        boolean namespaces = context.kubernetesTarget().allNamespaces() && context.platform().name().equals("kubernetes");
        var headers = new ArrayList<>(List.of("NAME", "PHASE", "READY", "PRIMARY", "VERSION", "STORAGE", "AGE"));
        if (wide) {
            headers.add("READ-WRITE");
        }
        if (namespaces) {
            headers.addFirst("NAMESPACE");
        }
        var table = new Table(headers.toArray(String[]::new));
        for (PgCluster c : clusters) {
            var status = c.getStatus();
            String ready = (status == null || status.getReadyInstances() == null ? 0 : status.getReadyInstances())
                    + "/" + c.getSpec().getInstances();
            Object phase = c.deletionRequested() ? "Deleting"
                    : status == null || status.getPhase() == null ? "Pending" : status.getPhase();
            List<Object> row = new ArrayList<>(List.of(c.name(), phase, ready,
                    status == null || status.getPrimary() == null ? "-" : status.getPrimary(),
                    c.getSpec().getPostgresVersion(), c.getSpec().getStorage().getSize(),
                    Ages.since(c.getMetadata().getCreationTimestamp())));
            if (wide) {
                row.add(status == null || status.getEndpoints() == null ? "-" : status.getEndpoints().getReadWrite());
            }
            if (namespaces) {
                row.addFirst(c.getMetadata().getNamespace());
            }
            table.row(row.toArray());
        }
        table.print(context.out(), !options.noHeaders);
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return Names.withAll(names.clusters(kind()));
    }
}
