package dev.pgo.cmd.ha;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.PgoException;
import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.HelpOption;
import dev.pgo.cmd.Submission;
import dev.pgo.cmd.SubmitOptions;
import dev.pgo.manifest.Manifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.util.List;

/** `pgo scale CLUSTER --replicas N`: add or remove replicas; the primary stays. */
@Command(name = "scale",
        description = {"Set how many replicas a cluster has besides its primary.",
                "New replicas are cloned from the primary and stream from it. Removal takes the highest-numbered"
                        + " instances, as a StatefulSet does, and never the primary: when the primary is among them,"
                        + " pgo first switches over to the most advanced replica that stays."},
        footer = {"", "Examples:", "  pgo scale mycluster --replicas 2", "  pgo scale mycluster --replicas 0 --dry-run"})
public final class ScaleCommand implements Runnable, CompletesNames {
    @Mixin
    HelpOption helpOption;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster.")
    String name;

    @Option(names = "--replicas", paramLabel = "N", required = true, description = "Replicas besides the primary (0 or more).")
    int replicas;

    @Mixin
    SubmitOptions submit;

    public ScaleCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        if (replicas < 0) {
            throw new PgoException("--replicas must be 0 or more, not " + replicas);
        }
        PgCluster stored = new ClusterActions(context).find(name, ClusterKind.CLUSTER, "scale");
        PgCluster cluster = Manifests.copy(stored);
        cluster.getSpec().setInstances(replicas + 1);
        var submission = new Submission(context);
        submission.prepare(cluster);
        if (submit.dryRun) {
            submission.printDryRun(cluster, submit.output);
            return;
        }
        if (stored.getSpec().getInstances() == replicas + 1) {
            context.out().println(name + " has " + replicas + " replica" + (replicas == 1 ? "" : "s") + " already");
            return;
        }
        submission.submit(cluster, submit.wait);
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return names.clusters(ClusterKind.CLUSTER);
    }
}
