package dev.pgo.cmd.delete;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.cmd.CliContext;
import picocli.CommandLine.Command;

/** `pgo delete cluster NAME`. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Delete a cluster: stop its servers and remove its data and secrets (--keep-data keeps the volumes).",
        footer = {"", "Examples:", "  pgo delete cluster mycluster", "  pgo delete cluster mycluster --keep-data"})
public final class DeleteClusterCommand extends DeleteBase {
    public DeleteClusterCommand(CliContext context) {
        super(context);
    }

    @Override
    ClusterKind kind() {
        return ClusterKind.CLUSTER;
    }
}
