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
        if (cluster.getSpec().getRestore() != null && !options.submit.dryRun) {
            fillFromBackup(context, cluster, options);
        }
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
        submission.submit(cluster, options.submit.wait);
    }

    /**
     * Checks the restore before anything is stored (the backup exists and can be restored) and
     * takes from it what the user did not say: the PostgreSQL version of the backup, and the
     * source cluster's users, databases and parameters, whose roles the restored data holds.
     */
    private static void fillFromBackup(CliContext context, PgCluster cluster, ClusterOptions options) {
        var backups = context.backups();
        var restore = cluster.getSpec().getRestore();
        if (restore.getCluster() != null && restore.getTargetTime() != null) {
            // so that a recent target time is within what is archived
            backups.archiveCurrentWal(restore.getCluster());
        }
        var point = backups.resolve(restore);
        point.requireReachable();
        var spec = cluster.getSpec();
        if (options.version == null) {
            spec.setPostgresVersion(point.backup().postgresVersion());
        }
        context.platform().clusters().get(point.backup().cluster()).ifPresent(source -> {
            if (options.users.isEmpty()) {
                spec.setUsers(source.getSpec().getUsers());
            }
            if (options.databases.isEmpty()) {
                spec.setDatabases(source.getSpec().getDatabases());
            }
            if (options.parameters.isEmpty()) {
                spec.setParameters(source.getSpec().getParameters());
            }
        });
        context.err().println("Restoring " + point.describe() + " into " + cluster.name());
    }
}
