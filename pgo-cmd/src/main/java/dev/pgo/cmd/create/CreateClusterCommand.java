package dev.pgo.cmd.create;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.ClientConfig;
import dev.pgo.cmd.Submission;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `pgo create cluster NAME`: a primary with streaming replicas. */
@Command(name = "cluster",
        description = {"Create a cluster: a primary and streaming replicas (2 unless --replicas or the configuration says otherwise).",
                "Waits until every instance is ready, showing each step."},
        footer = {"", "Examples:", "  pgo create cluster mycluster",
                "  pgo create cluster orders --replicas 1 --storage 5Gi --user app=CREATEDB --database-name orders=app",
                "  pgo create cluster mycluster --dry-run -o yaml > mycluster.yaml"})
public final class CreateClusterCommand implements Runnable {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "Cluster name: lower-case letters, digits and '-'.")
    String name;

    @Option(names = "--replicas", paramLabel = "N", description = "Number of replicas besides the primary (default 2).")
    Integer replicas;

    @Mixin
    ClusterOptions options;

    public CreateClusterCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        int replicaCount = replicas != null ? replicas : ClientConfig.load().defaultReplicas();
        if (replicaCount < 0) {
            throw new dev.pgo.PgoException("--replicas must be 0 or more, not " + replicaCount);
        }
        PgCluster cluster = options.toCluster(name, ClusterKind.CLUSTER, replicaCount + 1);
        create(context, cluster, options);
    }

    static void create(CliContext context, PgCluster cluster, ClusterOptions options) {
        var submission = new Submission(context);
        submission.prepare(cluster);
        if (options.submit.dryRun) {
            submission.printDryRun(cluster, options.submit.output);
            return;
        }
        if (context.platform().clusters().get(cluster.name()).isPresent()) {
            throw new dev.pgo.PgoException(cluster.name() + " already exists",
                    "pgo show cluster " + cluster.name() + " shows it; pgo apply -f changes it");
        }
        submission.submit(cluster, options.submit.noWait, options.submit.timeout());
    }
}
