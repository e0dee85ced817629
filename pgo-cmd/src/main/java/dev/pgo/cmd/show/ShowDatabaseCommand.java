package dev.pgo.cmd.show;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.cmd.CliContext;
import picocli.CommandLine.Command;

/** `pgo show database NAME... | all`. */
@Command(name = "database", mixinStandardHelpOptions = true,
        description = "Show standalone databases: named ones in detail, or all of them as a table.",
        footer = {"", "Examples:", "  pgo show database all", "  pgo show database db1 db2 db3"})
public final class ShowDatabaseCommand extends ShowClustersBase {
    public ShowDatabaseCommand(CliContext context) {
        super(context);
    }

    @Override
    ClusterKind kind() {
        return ClusterKind.DATABASE;
    }
}
