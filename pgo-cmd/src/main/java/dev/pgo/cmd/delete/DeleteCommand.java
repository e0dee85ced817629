package dev.pgo.cmd.delete;

import picocli.CommandLine.Command;

/** `pgo delete ...`: the seed's delete verbs. */
@Command(name = "delete", description = "Delete a cluster or a standalone database.",
        subcommands = {DeleteClusterCommand.class, DeleteDatabaseCommand.class, DeleteBackupCommand.class})
public final class DeleteCommand {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

}
