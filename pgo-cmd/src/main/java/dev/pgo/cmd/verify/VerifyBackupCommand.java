package dev.pgo.cmd.verify;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupStatus;
import dev.pgo.cmd.Cancellable;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.ExitCodes;
import dev.pgo.cmd.output.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `pgo verify backup NAME [ID...]`: pg_verifybackup again, recording Verified or Failed. */
@Command(name = "backup",
        description = {"Check backups again with pg_verifybackup (every file against the manifest's checksums, and",
                "the WAL the backup needs). The outcome is recorded: Verified, or Failed with the damage found,",
                "and a Failed backup is never offered for restore. Exits 1 if any backup is damaged."},
        footer = {"", "Examples:", "  pgo verify backup mycluster                       # every backup",
                "  pgo verify backup mycluster 2026-01-31-02-00-00"})
public final class VerifyBackupCommand implements Callable<Integer>, CompletesNames {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster or database.")
    String name;

    @Parameters(index = "1..*", paramLabel = "ID", description = "Backup ids (default: every finished backup).")
    List<String> ids = new ArrayList<>();

    public VerifyBackupCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        var service = context.backups();
        List<String> targets = ids.isEmpty() ? service.list(name).stream()
                .filter(e -> e.stopTime() != null).map(BackupEntry::id).toList() : ids;
        int exit = ExitCodes.OK;
        for (String id : targets) {
            var bar = new ProgressBar(context.err());
            BackupEntry entry = Cancellable.run(() -> service.verify(name, id, bar));
            bar.endLine();
            if (entry.status() == BackupStatus.Verified) {
                context.out().println("backup " + id + " of " + name + ": Verified");
            } else {
                context.out().println("backup " + id + " of " + name + ": " + entry.status() + ": " + entry.error());
                exit = ExitCodes.ERROR;
            }
        }
        return exit;
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return index == 0 ? names.clusters(null) : names.backupIds(before.getFirst());
    }
}
