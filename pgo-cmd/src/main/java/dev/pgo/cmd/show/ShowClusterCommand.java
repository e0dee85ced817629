package dev.pgo.cmd.show;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.cmd.CliContext;
import picocli.CommandLine.Command;

/** `pgo show cluster NAME... | all`. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Show clusters: a named one in detail (summary, instances with role, LSN and lag, roles,",
                "databases, connection info), or all of them as a table."},
        footer = {"", "Examples:", "  pgo show cluster mycluster", "  pgo show cluster all",
                "  pgo show cluster mycluster -o yaml"})
public final class ShowClusterCommand extends ShowClustersBase {
    public ShowClusterCommand(CliContext context) {
        super(context);
    }

    @Override
    ClusterKind kind() {
        return ClusterKind.CLUSTER;
    }
}
