package dev.pgo.cmd.delete;

import picocli.CommandLine.Command;

/** `pgo delete ...`: the seed's delete verbs. */
@Command(name = "delete", description = "Delete a cluster or a standalone database.",
        subcommands = {DeleteClusterCommand.class, DeleteDatabaseCommand.class},
        mixinStandardHelpOptions = true)
public final class DeleteCommand {
}
