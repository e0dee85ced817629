package dev.pgo.tui;

import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.backup.BackupEntry;
import dev.pgo.tui.data.ClusterFacts;
import dev.pgo.tui.model.ClusterRow;
import dev.pgo.tui.view.Field;
import dev.pgo.tui.view.Form;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The dialogs behind the action keys, and the pgo command line each one's answers make. The
 * dashboard only asks; the command checks and does, exactly as typed on the command line.
 */
final class ActionForms {
    /** A command to run once the form is submitted: its title for the events pane and its words. */
    record Command(String title, List<String> args, String cluster) {
    }

    /** A form and how its values become a command. */
    record Pending(Form form, Function<Form, Command> command) {
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final String HELP = "Tab next field, <- -> choose, Enter run, Esc cancel";

    private ActionForms() {
    }

    static Pending create() {
        var form = new Form("Create a cluster", List.of(
                Field.text("Name", ""),
                Field.choice("Instances", List.of("1", "2", "3", "4", "5"), "3"),
                Field.text("PostgreSQL version", ""),
                Field.text("Storage", "1Gi")), "Empty version: the newest installed. " + HELP,
                f -> NAME.matcher(f.value("Name")).matches() ? null
                        : "Name: lower-case letters, digits and '-', starting and ending with a letter or digit");
        return new Pending(form, f -> {
            String name = f.value("Name");
            var args = new ArrayList<>(List.of("create", "cluster", name,
                    "--replicas", String.valueOf(Integer.parseInt(f.value("Instances")) - 1),
                    "--storage", f.value("Storage")));
            if (!f.value("PostgreSQL version").isEmpty()) {
                args.addAll(List.of("--version", f.value("PostgreSQL version")));
            }
            return new Command("create cluster " + name, args, name);
        });
    }

    static Command backup(ClusterRow row) {
        return new Command("backup " + row.name(), List.of("create", "backup", row.name()), row.name());
    }

    /** Restore into a new cluster from {@code facts}' backups, {@code chosen} preselected (may be null). */
    static Pending restore(ClusterFacts facts, String chosen) {
        var ids = new ArrayList<String>();
        ids.add("latest");
        facts.backups().stream().filter(b -> b.status().restorable()).map(BackupEntry::id)
                .sorted(java.util.Comparator.reverseOrder()).forEach(ids::add);
        String source = facts.name();
        var form = new Form("Restore " + source + " into a new cluster", List.of(
                Field.choice("Backup", ids, chosen == null ? "latest" : chosen),
                Field.text("Target time", ""),
                Field.text("New name", source + "-restored")),
                "Target time (optional, e.g. 2026-11-22T10:00:00Z) wins over the backup. " + HELP,
                f -> NAME.matcher(f.value("New name")).matches() ? null
                        : "New name: lower-case letters, digits and '-'");
        return new Pending(form, f -> {
            String name = f.value("New name");
            var args = new ArrayList<>(List.of("create", "cluster", name, "--restore-from", source,
                    "--replicas", String.valueOf(facts.cluster().getSpec().getInstances() - 1)));
            if (!f.value("Target time").isEmpty()) {
                args.addAll(List.of("--to-time", f.value("Target time")));
            } else if (!f.value("Backup").equals("latest")) {
                args.addAll(List.of("--backup", f.value("Backup")));
            }
            return new Command("restore " + source + " into " + name, args, name);
        });
    }

    static Pending scale(ClusterRow row) {
        var form = new Form("Scale " + row.name(), List.of(
                Field.choice("Replicas", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8"),
                        String.valueOf(Math.max(0, row.instances() - 1)))),
                "Replicas besides the primary. " + HELP, f -> null);
        return new Pending(form, f -> new Command("scale " + row.name() + " to " + f.value("Replicas") + " replicas",
                List.of("scale", row.name(), "--replicas", f.value("Replicas")), row.name()));
    }

    /** Switchover (the primary hands over cleanly) or failover (promote a replica at once, the primary being lost). */
    static Pending failover(ClusterFacts facts) {
        String name = facts.name();
        var replicas = new ArrayList<String>();
        var status = facts.cluster().getStatus();
        if (status != null) {
            status.getInstances().stream().map(InstanceStatus::getName)
                    .filter(i -> !i.equals(status.getPrimary())).forEach(replicas::add);
        }
        var targets = new ArrayList<String>();
        targets.add("most advanced replica");
        targets.addAll(replicas);
        var form = new Form("Switchover or failover " + name, List.of(
                Field.choice("Kind", List.of("switchover", "failover"), "switchover"),
                Field.choice("Target", targets, targets.getFirst())),
                "Failover is for a lost primary and needs a target. " + HELP,
                f -> f.value("Kind").equals("failover") && f.value("Target").equals(targets.getFirst())
                        ? "A failover needs a target instance: choose one with <- ->" : null);
        return new Pending(form, f -> {
            var args = new ArrayList<>(List.of(f.value("Kind"), name));
            if (!f.value("Target").equals(targets.getFirst())) {
                args.addAll(List.of("--target", f.value("Target")));
            }
            return new Command(f.value("Kind") + " " + name, args, name);
        });
    }

    /** Delete after the user typed the name: a slip of one key cannot delete a cluster. */
    static Pending delete(ClusterRow row) {
        var form = new Form("Delete " + row.kind() + " " + row.name(), List.of(Field.text("Type its name", "")),
                "Deletes its servers, volumes and secrets. Enter deletes, Esc cancels",
                f -> f.value("Type its name").equals(row.name()) ? null
                        : "Type " + row.name() + " exactly to delete it");
        return new Pending(form, f -> new Command("delete " + row.kind() + " " + row.name(),
                List.of("delete", row.kind(), row.name()), row.name()));
    }
}
