package dev.pgo.cmd.delete;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.cmd.CliContext;
import picocli.CommandLine.Command;

/** `pgo delete database NAME`. */
@Command(name = "database", mixinStandardHelpOptions = true,
        description = "Delete a standalone database: stop its server and remove its data and secrets.",
        footer = {"", "Examples:", "  pgo delete database mydatabase"})
public final class DeleteDatabaseCommand extends DeleteBase {
    public DeleteDatabaseCommand(CliContext context) {
        super(context);
    }

    @Override
    ClusterKind kind() {
        return ClusterKind.DATABASE;
    }
}
