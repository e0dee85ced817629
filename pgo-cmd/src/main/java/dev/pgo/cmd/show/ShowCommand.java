package dev.pgo.cmd.show;

import picocli.CommandLine.Command;

/** `pgo show ...`: the seed's show verbs. */
@Command(name = "show", description = "Show clusters, databases, volumes (PVCs) and backups.",
        subcommands = {ShowClusterCommand.class, ShowDatabaseCommand.class, ShowPvcCommand.class, ShowBackupCommand.class})
public final class ShowCommand {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

}
