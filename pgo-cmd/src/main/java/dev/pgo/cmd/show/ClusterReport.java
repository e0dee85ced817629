package dev.pgo.cmd.show;

import dev.pgo.text.Ages;
import dev.pgo.api.v1.Condition;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.PrimaryChange;
import dev.pgo.cmd.CliContext;
import dev.pgo.text.Sizes;
import dev.pgo.cmd.output.Table;
import dev.pgo.reconcile.LiveStatus;
import dev.pgo.sql.ClusterCatalog;
import dev.pgo.validate.SpecValidator;

import java.io.PrintStream;
import java.util.List;

/**
 * `pgo show cluster NAME` in the manner of CloudNativePG's status: a summary, the instances with
 * role, state, LSN and lag, the roles and databases, and how to connect. Passwords only on request.
 */
final class ClusterReport {
    private final CliContext context;
    private final PgCluster cluster;
    private final ClusterCatalog catalog;
    private final boolean showSecrets;
    private final boolean wide;

    ClusterReport(CliContext context, LiveStatus.LiveView view, boolean showSecrets, boolean wide) {
        this.context = context;
        this.cluster = view.cluster();
        this.catalog = view.observed() == null ? null : view.observed().catalog();
        this.showSecrets = showSecrets;
        this.wide = wide;
    }

    void print(PrintStream out) {
        PgClusterStatus status = cluster.getStatus() == null ? new PgClusterStatus() : cluster.getStatus();
        var spec = cluster.getSpec();
        out.println("Cluster Summary");
        var summary = new Table("", "");
        summary.row("Name:", cluster.name());
        summary.row("Kind:", cluster.clusterKind().label() + " (" + spec.getInstances() + " instance"
                + (spec.getInstances() == 1 ? "" : "s") + ")");
        summary.row("Platform:", context.platform().name() + " (" + context.platform().location() + ")");
        summary.row("PostgreSQL:", spec.getPostgresVersion());
        summary.row("Phase:", cluster.deletionRequested() ? "Deleting"
                : status.getPhase() == null ? "Pending" : status.getPhase());
        summary.row("Primary:", status.getPrimary());
        PrimaryChange change = status.getLastPrimaryChange();
        if (change != null) {
            summary.row("Last change:", change.getKind() + " from " + change.getFrom() + " to " + change.getTo() + " at "
                    + change.getTime() + " (" + Ages.since(change.getTime()) + " ago): " + change.getReason());
        }
        summary.row("Ready:", (status.getReadyInstances() == null ? 0 : status.getReadyInstances()) + "/"
                + spec.getInstances());
        summary.row("Storage:", spec.getStorage().getSize() + " per instance");
        summary.row("Generation:", cluster.getMetadata().getGeneration() + " (observed "
                + (status.getObservedGeneration() == null ? "-" : status.getObservedGeneration()) + ")");
        summary.row("Created:", cluster.getMetadata().getCreationTimestamp() + " ("
                + Ages.since(cluster.getMetadata().getCreationTimestamp()) + " ago)");
        summary.print(out, false);

        printConnection(out, status);
        printInstances(out, status.getInstances());
        printRoles(out);
        printDatabases(out);
        printConditions(out, status.getConditions());
    }

    private void printConnection(PrintStream out, PgClusterStatus status) {
        if (status.getEndpoints() == null) {
            return;
        }
        out.println();
        out.println("Connection");
        var table = new Table("", "");
        table.row("Read-write:", withUser(status.getEndpoints().getReadWrite()));
        table.row("Read-only:", withUser(status.getEndpoints().getReadOnly()));
        String password = showSecrets
                ? context.platform().secrets().get(cluster.name(), SpecValidator.SUPERUSER)
                .map(c -> c.password()).orElse("(none yet)")
                : "(hidden; --show-secrets shows it)";
        table.row("TLS:", tls());
        table.row("User:", SpecValidator.SUPERUSER);
        table.row("Password:", password);
        table.print(out, false);
    }

    /** Whether connections must encrypt, and whose certificate the servers present. */
    private String tls() {
        if (!dev.pgo.api.v1.TlsSpec.on(cluster.getSpec())) {
            return "off";
        }
        String secret = cluster.getSpec().getTls().getSecretName();
        if (secret != null) {
            return "required; certificate from Secret " + secret;
        }
        String authority = context.platform().name().equals("local")
                ? java.nio.file.Path.of(context.platform().location(), "secrets", cluster.name(), "ca.crt").toString()
                : "ca.crt of Secret " + cluster.name() + ".tls";
        return "required; certificate made by pgo (authority: " + authority + ")";
    }

    private static String withUser(String uri) {
        return uri == null ? "-" : uri.replace("postgresql://", "postgresql://" + SpecValidator.SUPERUSER + "@");
    }

    private void printInstances(PrintStream out, List<InstanceStatus> instances) {
        out.println();
        out.println("Instances");
        if (instances == null || instances.isEmpty()) {
            out.println("  none yet");
            return;
        }
        var table = wide ? new Table("NAME", "ROLE", "STATE", "READY", "HOST", "PORT", "TIMELINE", "LSN", "RECEIVED", "LAG",
                "PVC")
                : new Table("NAME", "ROLE", "STATE", "READY", "PORT", "TIMELINE", "LSN", "LAG");
        for (InstanceStatus i : instances) {
            String lag = i.getLagBytes() == null ? "-" : Sizes.human(i.getLagBytes());
            if (wide) {
                table.row(i.getName(), i.getRole(), i.getState(), i.isReady() ? "yes" : "no", i.getHost(), i.getPort(),
                        i.getTimeline(), i.getLsn(), i.getReceivedLsn() == null ? "-" : i.getReceivedLsn(), lag, i.getPvc());
            } else {
                table.row(i.getName(), i.getRole(), i.getState(), i.isReady() ? "yes" : "no", i.getPort(),
                        i.getTimeline(), i.getLsn(), lag);
            }
        }
        table.print(out);
    }

    private void printRoles(PrintStream out) {
        var users = cluster.getSpec().getUsers();
        if (users == null || users.isEmpty()) {
            return;
        }
        out.println();
        out.println("Roles");
        var table = showSecrets ? new Table("NAME", "FLAGS", "EXISTS", "PASSWORD") : new Table("NAME", "FLAGS", "EXISTS");
        var effective = dev.pgo.reconcile.Planner.desiredUserRoles(cluster.getSpec());
        users.forEach((role, flags) -> {
            String exists = catalog == null ? "unknown" : catalog.roles().containsKey(role) ? "yes" : "not yet";
            String flagText = effective.get(role).keywords().replace(' ', ',');
            if (showSecrets) {
                table.row(role, flagText, exists, context.platform().secrets().get(cluster.name(), role)
                        .map(c -> c.password()).orElse("-"));
            } else {
                table.row(role, flagText, exists);
            }
        });
        table.print(out);
    }

    private void printDatabases(PrintStream out) {
        var databases = cluster.getSpec().getDatabases();
        if (databases == null || databases.isEmpty()) {
            return;
        }
        out.println();
        out.println("Databases");
        var table = new Table("NAME", "OWNER", "EXISTS");
        databases.forEach((db, owner) -> table.row(db, owner,
                catalog == null ? "unknown" : catalog.databaseOwners().containsKey(db) ? "yes" : "not yet"));
        table.print(out);
    }

    private void printConditions(PrintStream out, List<Condition> conditions) {
        if (conditions == null || conditions.isEmpty()) {
            return;
        }
        out.println();
        out.println("Conditions");
        var table = new Table("TYPE", "STATUS", "REASON", "MESSAGE");
        conditions.forEach(c -> table.row(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
        table.print(out);
    }
}
