package dev.pgo.cmd.delete;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.cmd.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import dev.pgo.backup.BackupRepository;
import java.util.List;

/** `pgo delete backup NAME ID`: removes one backup, and the archived WAL only it needed. */
@Command(name = "backup",
        description = {"Delete one backup of a cluster or database, and the archived WAL that no remaining backup needs.",
                "A backup that is still running cannot be deleted. Deleting a cluster keeps its backups;",
                "--all removes them and the <name>-backups volume, also after the cluster is gone."},
        footer = {"", "Examples:", "  pgo delete backup mycluster 2026-01-31-02-00-00",
                "  pgo delete backup mycluster --all"})
public final class DeleteBackupCommand implements Runnable, CompletesNames {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster or database.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The backup id, as pgo show backup lists it.")
    String id;

    @Option(names = "--all", description = "Delete every backup, the archived WAL and the backup volume.")
    boolean all;

    public DeleteBackupCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        if (all == (id != null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a backup ID or --all");
        }
        if (all) {
            context.backups().deleteAll(name);
            context.out().println("every backup of " + name + " deleted, with " + BackupRepository.defaultName(name));
            return;
        }
        context.backups().delete(name, id);
        context.out().println("backup " + id + " of " + name + " deleted");
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return index == 0 ? names.clusters(null) : names.backupIds(before.getFirst());
    }
}
