package dev.pgo.reconcile;

import dev.pgo.sql.RoleAttributes;

/**
 * One action the reconciler decided on. A plan is a list of these in the order they must run;
 * {@link #describe()} is what the user sees as progress.
 */
public sealed interface Step {
    String describe();

    /** Generate and store passwords for the superuser and the replication user. */
    record EnsureSecrets() implements Step {
        public String describe() {
            return "create secrets for the superuser and replication roles";
        }
    }

    /** Create or update the platform's cluster-wide objects (Kubernetes: StatefulSet, Services, ...). */
    record SyncResources(java.util.List<String> objects) implements Step {
        public String describe() {
            return "create or update " + String.join(", ", objects);
        }
    }

    record BootstrapPrimary(String instance) implements Step {
        public String describe() {
            return "initialise primary " + instance + " (initdb)";
        }
    }

    record RestorePrimary(String instance, String source) implements Step {
        public String describe() {
            return "restore primary " + instance + " from " + source;
        }
    }

    record BootstrapReplica(String instance, String primary) implements Step {
        public String describe() {
            return "clone replica " + instance + " from " + primary + " (pg_basebackup)";
        }
    }

    record StartInstance(String instance) implements Step {
        public String describe() {
            return "start " + instance;
        }
    }

    record Configure(String instance) implements Step {
        public String describe() {
            return "update the configuration of " + instance + " and reload it";
        }
    }

    /** Restart one instance so it runs what pgo wants now; {@code reason} is why, for the user. */
    record RestartInstance(String instance, String reason) implements Step {
        public String describe() {
            return "restart " + instance + " (" + reason + ")";
        }
    }

    /**
     * Make {@code to} the primary without losing a committed transaction: the old primary is shut
     * down cleanly first, so every change it made has reached {@code to} before it is promoted.
     * {@code request} is the id of the user's request it carries out, or null when pgo planned it.
     */
    record Switchover(String from, String to, String reason, String request) implements Step {
        public Switchover(String from, String to, String reason) {
            this(from, to, reason, null);
        }

        public String describe() {
            return "switch over from " + from + " to " + to + " (" + reason + ")";
        }
    }

    /**
     * The primary was lost: fence it (stopped, and marked so it never runs as a primary again),
     * then promote {@code to}, the replica that received the most WAL (or the one a user named).
     */
    record Failover(String from, String to, String reason, String request) implements Step {
        public Failover(String from, String to, String reason) {
            this(from, to, reason, null);
        }

        public String describe() {
            return "fail over from " + from + " to " + to + " (" + reason + ")";
        }
    }

    /** A fenced former primary follows the new one again: pg_rewind onto its timeline, then start as a replica. */
    record Rejoin(String instance, String primary) implements Step {
        public String describe() {
            return "rejoin " + instance + " as a replica of " + primary + " (pg_rewind)";
        }
    }

    /** Promote the standby pgo made primary, finishing a switchover that was interrupted. */
    record Promote(String instance) implements Step {
        public String describe() {
            return "promote " + instance + " to primary";
        }
    }

    record CreateSlot(String slot) implements Step {
        public String describe() {
            return "create replication slot " + slot + " on the primary";
        }
    }

    record DropSlot(String slot) implements Step {
        public String describe() {
            return "drop replication slot " + slot + " on the primary";
        }
    }

    record RemoveInstance(String instance, boolean keepData) implements Step {
        public String describe() {
            return "remove " + instance + (keepData ? " (keeping its volume)" : " and its volume");
        }
    }

    record CreateRole(String role, RoleAttributes attributes) implements Step {
        public String describe() {
            return "create role " + role + (attributes.isEmpty() ? "" : " " + attributes.keywords());
        }
    }

    record AlterRole(String role, RoleAttributes attributes) implements Step {
        public String describe() {
            return "alter role " + role + " " + attributes.keywords();
        }
    }

    record CreateDatabase(String database, String owner) implements Step {
        public String describe() {
            return "create database " + database + " owned by " + owner;
        }
    }

    record AlterDatabaseOwner(String database, String owner) implements Step {
        public String describe() {
            return "make " + owner + " the owner of database " + database;
        }
    }

    /**
     * Forget the cluster, the last step of a deletion. Its secrets go too, unless its volumes are
     * kept: the passwords belong with the data, so a cluster created again on them can log in.
     */
    record Forget(boolean keepData) implements Step {
        public String describe() {
            return keepData ? "forget the cluster (keeping its secrets with its volumes)"
                    : "delete secrets and forget the cluster";
        }
    }
}
