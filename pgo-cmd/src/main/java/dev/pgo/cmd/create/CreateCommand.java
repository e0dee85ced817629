package dev.pgo.cmd.create;

import picocli.CommandLine.Command;

/** `pgo create ...`: the seed's create verbs. */
@Command(name = "create", description = "Create a cluster, a standalone database, or a backup.",
        subcommands = {CreateClusterCommand.class, CreateDatabaseCommand.class, CreateBackupCommand.class})
public final class CreateCommand {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

}
