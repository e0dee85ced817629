package dev.pgo.cmd.show;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupRepository;
import dev.pgo.backup.BackupService;
import dev.pgo.backup.RecoveryWindow;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.ExitCodes;
import dev.pgo.cmd.output.OutputFormat;
import dev.pgo.cmd.output.Printer;
import dev.pgo.text.Sizes;
import dev.pgo.cmd.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * `pgo show backup NAME`: a cluster's backups, newest last, and the moments it can be restored
 * to; `pgo show backup all`: one line per cluster and database.
 */
@Command(name = "backup",
        description = {"Show a cluster's or database's backups with their status, and the recoverable window:",
                "every moment from the end of the oldest restorable backup to the last archived WAL.",
                "Only Completed and Verified backups can be restored. 'all' sums up every cluster and database."},
        footer = {"", "Examples:", "  pgo show backup mycluster", "  pgo show backup mycluster -o json",
                "  pgo show backup mycluster -o name   # backup ids, one a line",
                "  pgo show backup all                 # the newest backup and the window of each cluster",
                "  pgo show backup all -o name         # NAME/ID of every backup, one a line"})
public final class ShowBackupCommand implements Callable<Integer>, CompletesNames {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster or database, or 'all'.")
    String name;

    @Mixin
    ShowOptions options;

    public ShowBackupCommand(CliContext context) {
        this.context = context;
    }

    /** What -o json and -o yaml print: the repository, its window and its entries. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BackupList(String apiVersion, String kind, String cluster, String volume, String path,
                             String recoverableFrom, String recoverableTo, List<BackupEntry> backups) {
    }

    @Override
    public Integer call() {
        BackupService service = context.backups();
        if (name.equals("all")) {
            showAll(service);
            return ExitCodes.OK;
        }
        var repository = service.repository(name);
        if (repository.isEmpty() && context.platform().clusters().get(name).isEmpty()) {
            context.err().println("error: no cluster, database or backup repository named " + name
                    + " (pgo show cluster all lists them)");
            return ExitCodes.ERROR;
        }
        Backups backups = Backups.of(name, repository);
        switch (options.output) {
            case json, yaml -> Printer.structured(context.out(), options.output, List.of(backups.list()), true);
            case name -> backups.entries().forEach(e -> context.out().println(e.id()));
            case table, wide -> printTable(backups.entries(), backups.window());
        }
        return ExitCodes.OK;
    }

    /**
     * A cluster's entries and its window, read once: the window asks the repository when WAL
     * was last archived (a directory listing, on Kubernetes a command in a pod).
     */
    private record Backups(String cluster, List<BackupEntry> entries, RecoveryWindow window) {
        static Backups of(String cluster, java.util.Optional<dev.pgo.backup.BackupCatalog> repository) {
            List<BackupEntry> entries = repository.map(dev.pgo.backup.BackupCatalog::entries).orElse(List.of());
            return new Backups(cluster, entries, repository.flatMap(r -> r.window(entries)).orElse(null));
        }

        BackupEntry newest() {
            return entries.isEmpty() ? null : entries.getLast();
        }

        BackupList list() {
            return new BackupList("pgo.dev/v1", "BackupList", cluster, BackupRepository.defaultName(cluster),
                    BackupRepository.defaultName(cluster), window == null ? null : window.from().toString(),
                    window == null ? null : window.to().toString(), entries);
        }
    }

    /** Every cluster and database: its newest backup and its window, or the lists in full as JSON/YAML. */
    private void showAll(BackupService service) {
        var all = new java.util.ArrayList<Backups>();
        for (String cluster : context.platform().clusters().names(null)) {
            all.add(Backups.of(cluster, service.repository(cluster)));
        }
        switch (options.output) {
            case json, yaml -> Printer.structured(context.out(), options.output,
                    all.stream().map(Backups::list).toList(), false);
            case name -> all.forEach(b -> b.entries().forEach(e -> context.out().println(b.cluster() + "/" + e.id())));
            case table, wide -> {
                if (all.isEmpty()) {
                    context.err().println("no clusters or databases on " + context.platform().name() + " ("
                            + context.platform().location() + ")");
                    return;
                }
                var table = new Table("NAME", "BACKUPS", "NEWEST", "STATUS", "FINISHED", "RECOVERABLE FROM",
                        "RECOVERABLE TO");
                for (Backups b : all) {
                    BackupEntry newest = b.newest();
                    table.row(b.cluster(), b.entries().size(), newest == null ? null : newest.id(),
                            newest == null ? null : newest.status(),
                            newest == null || newest.stopTime() == null ? null : seconds(newest.stopInstant()),
                            b.window() == null ? null : seconds(b.window().from()),
                            b.window() == null ? null : seconds(b.window().to()));
                }
                table.print(context.out(), !options.noHeaders);
            }
        }
    }

    private void printTable(List<BackupEntry> entries, RecoveryWindow window) {
        if (entries.isEmpty()) {
            context.err().println(name + " has no backups; take one with pgo create backup " + name);
            return;
        }
        boolean wide = options.output == OutputFormat.wide;
        var table = wide
                ? new Table("ID", "STATUS", "TYPE", "FINISHED", "DURATION", "SIZE", "TIMELINE", "START LSN", "STOP LSN",
                "INSTANCE", "PATH", "ERROR")
                : new Table("ID", "STATUS", "TYPE", "FINISHED", "DURATION", "SIZE", "TIMELINE", "ERROR");
        for (BackupEntry e : entries) {
            String duration = e.durationSeconds() == null ? null
                    : String.format(Locale.ROOT, "%.1fs", e.durationSeconds());
            String size = e.sizeBytes() == null ? null : Sizes.human(e.sizeBytes());
            String finished = e.stopTime() == null ? null : seconds(e.stopInstant());
            if (wide) {
                table.row(e.id(), e.status(), e.type(), finished, duration, size, e.timeline(), e.startLsn(),
                        e.stopLsn(), e.instance(), BackupRepository.defaultName(name) + "/" + e.id(), e.error());
            } else {
                table.row(e.id(), e.status(), e.type(), finished, duration, size, e.timeline(), e.error());
            }
        }
        table.print(context.out(), !options.noHeaders);
        if (!options.noHeaders) {
            context.out().println();
            context.out().println(window == null ? "Recoverable to a point in time: nothing (no Completed or Verified full backup)"
                    : "Recoverable: any moment from " + seconds(window.from()) + " to " + seconds(window.to()) + " (UTC)");
        }
    }

    private static String seconds(java.time.Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", "");
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return Names.withAll(names.clusters(null));
    }
}
