package dev.pgo.cmd.create;

import picocli.CommandLine.Command;

/** `pgo create ...`: the seed's create verbs. */
@Command(name = "create", description = "Create a cluster or a standalone database.",
        subcommands = {CreateClusterCommand.class, CreateDatabaseCommand.class})
public final class CreateCommand {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

}
