package dev.pgo.cmd.create;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.backup.BackupEntry;
import dev.pgo.cmd.Cancellable;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.output.OutputFormat;
import dev.pgo.cmd.output.Printer;
import dev.pgo.cmd.output.ProgressBar;
import dev.pgo.text.Sizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;

/** `pgo create backup NAME`: a verified base backup of a cluster or database, now. */
@Command(name = "backup",
        description = {"Take a base backup of a cluster or database into its backup repository (the <name>-backups PVC),",
                "as <name>-backups/<YYYY-MM-DD-HH-MM-SS>/: pg_basebackup (compressed tar with a manifest), then",
                "pg_verifybackup. WAL is archived into the same repository from then on, so later moments can be",
                "restored too. With --type logical: pg_dump of each database instead (custom format, checked with",
                "pg_restore --list), restorable as it was taken, also into a newer PostgreSQL version.",
                "Shows progress on stderr; Ctrl-C cancels and leaves the backup listed as Failed."},
        footer = {"", "Examples:", "  pgo create backup mycluster", "  pgo create backup mydatabase",
                "  pgo create backup mycluster --type logical",
                "  pgo create backup mycluster -o json   # the catalog entry, for scripts"})
public final class CreateBackupCommand implements Runnable, CompletesNames {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster or database to back up.")
    String name;

    @Option(names = "--type", paramLabel = "TYPE", completionCandidates = BackupTypes.class,
            description = "full (default): a base backup for point-in-time restores; logical: pg_dump of each database.")
    String type = BackupEntry.TYPE_FULL;

    /** The backup types, for --help and completion. */
    static final class BackupTypes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return BackupEntry.TYPES.iterator();
        }
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "How to print the finished backup's entry: table (default), json or yaml.")
    OutputFormat output = OutputFormat.table;

    public CreateBackupCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        var bar = new ProgressBar(context.err())
                .headline("Backing up " + name + " (" + type + ") on " + context.platform().name() + " ...");
        BackupEntry entry;
        try {
            entry = Cancellable.run(() -> context.backups().create(name, type, bar));
        } finally {
            bar.endLine();
        }
        if (output == OutputFormat.json || output == OutputFormat.yaml) {
            Printer.structured(context.out(), output, List.of(entry), true);
            return;
        }
        String repository = dev.pgo.backup.BackupRepository.defaultName(name);
        context.out().println(String.format(Locale.ROOT, "backup %s of %s is %s (%s in %.1fs): %s/%s", entry.id(), name,
                entry.status(), Sizes.human(entry.sizeBytes()), entry.durationSeconds(), repository, entry.id()));
        context.err().println("restore it with: pgo create database NEW --backup-pvc=" + repository + " --backup-path="
                + repository + "/" + entry.id());
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return names.clusters(null);
    }
}
