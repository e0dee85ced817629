package dev.pgo.cmd.delete;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.PgoException;
import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.WaitOptions;
import dev.pgo.cmd.output.Progress;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import java.util.List;


/** Shared by `delete cluster` and `delete database`: stop the servers, remove data unless kept. */
abstract class DeleteBase implements Runnable, CompletesNames {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    protected final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "What to delete.")
    String name;

    @Option(names = "--keep-data", description = "Keep the volumes (PVCs); only the servers and secrets go.")
    boolean keepData;

    @picocli.CommandLine.Mixin
    WaitOptions wait;

    DeleteBase(CliContext context) {
        this.context = context;
    }

    abstract ClusterKind kind();

    @Override
    public void run() {
        PgCluster cluster = context.platform().clusters().get(name).orElseThrow(() -> new PgoException(
                "no " + kind().label() + " named " + name, "pgo show " + kind().label() + " all lists them"));
        if (cluster.clusterKind() != kind()) {
            throw new PgoException(name + " is a " + cluster.clusterKind().label() + ", not a " + kind().label(),
                    "use pgo delete " + cluster.clusterKind().label() + " " + name);
        }
        context.platform().clusters().requestDeletion(name, keepData);
        if (wait.noWait) {
            context.out().println(kind().label() + " " + name + " marked for deletion");
            return;
        }
        var progress = new Progress(context.err());
        context.clusterWait().awaitGone(name, wait.timeout(), progress);
        context.out().println(kind().label() + " " + name + " deleted" + (keepData ? " (volumes kept)" : ""));
        if (context.platform() instanceof dev.pgo.platform.local.LocalPlatform
                && context.backups().repository(name).isPresent()) {
            context.err().println("its backups stay in " + dev.pgo.backup.BackupRepository.defaultName(name)
                    + " (pgo show backup " + name + "; pgo delete backup " + name + " --all removes them)");
        }
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return names.clusters(kind());
    }
}
