package dev.pgo.reconcile;

import dev.pgo.PgoException;
import dev.pgo.backup.BackupService;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.InstanceRuntime;
import dev.pgo.platform.Platform;
import dev.pgo.reconcile.Step.AlterDatabaseOwner;
import dev.pgo.reconcile.Step.AlterRole;
import dev.pgo.reconcile.Step.BootstrapPrimary;
import dev.pgo.reconcile.Step.BootstrapReplica;
import dev.pgo.reconcile.Step.RestorePrimary;
import dev.pgo.reconcile.Step.Configure;
import dev.pgo.reconcile.Step.CreateDatabase;
import dev.pgo.reconcile.Step.CreateRole;
import dev.pgo.reconcile.Step.CreateSlot;
import dev.pgo.reconcile.Step.DropSlot;
import dev.pgo.reconcile.Step.EnsureSecrets;
import dev.pgo.reconcile.Step.Failover;
import dev.pgo.reconcile.Step.Rejoin;
import dev.pgo.reconcile.Step.Forget;
import dev.pgo.reconcile.Step.Promote;
import dev.pgo.reconcile.Step.RemoveInstance;
import dev.pgo.reconcile.Step.RestartInstance;
import dev.pgo.reconcile.Step.StartInstance;
import dev.pgo.reconcile.Step.Switchover;
import dev.pgo.reconcile.Step.SyncResources;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.RoleFlag;
import dev.pgo.sql.SqlSession;
import dev.pgo.sql.SqlStatements;
import dev.pgo.validate.SpecValidator;

import java.sql.SQLException;
import java.util.function.Consumer;

/** Carries out one step through the platform (instances) or SQL on the primary (roles, databases, slots). */
final class StepExecutor {
    private final Platform platform;
    private final ConnectionPools pools;
    private final Handover handover;
    private final BackupService restores;

    StepExecutor(Platform platform, ConnectionPools pools) {
        this.platform = platform;
        this.pools = pools;
        this.handover = new Handover(platform, pools);
        this.restores = new BackupService(platform, pools, java.time.Clock.systemUTC());
    }

    void execute(PgCluster cluster, ObservedCluster observed, Step step) {
        String name = cluster.name();
        String primary = observed.primary();
        switch (step) {
            case EnsureSecrets s -> {
                platform.secrets().ensure(name, SpecValidator.SUPERUSER);
                platform.secrets().ensure(name, SpecValidator.REPLICATION_USER);
            }
            case SyncResources s -> platform.resources().sync(cluster, primary);
            case BootstrapPrimary s -> platform.instances().bootstrapPrimary(cluster, s.instance(), superuser(name));
            case RestorePrimary s -> restores.restorePrimary(cluster, s.instance());
            case BootstrapReplica s -> platform.instances().bootstrapReplica(cluster, s.instance(),
                    runtime(cluster, observed, s.primary()).endpoint(), s.primary(),
                    platform.secrets().ensure(name, SpecValidator.REPLICATION_USER),
                    dev.pgo.api.v1.InstanceNames.slot(s.instance()));
            case StartInstance s -> platform.instances().start(cluster, s.instance(), primary);
            case Configure s -> platform.instances().configure(cluster, s.instance(), primary);
            case RestartInstance s -> {
                observed.instance(s.instance()).ifPresent(o -> pools.forget(o.runtime().endpoint()));
                platform.instances().restart(cluster, s.instance(), primary);
            }
            case Switchover s -> handover.switchover(cluster, runtime(cluster, observed, s.from()),
                    runtime(cluster, observed, s.to()), s.reason(), s.request(), superuser(name),
                    platform.secrets().ensure(name, SpecValidator.REPLICATION_USER));
            case Failover s -> handover.failover(cluster, observedRuntime(cluster, observed, s.from()),
                    runtime(cluster, observed, s.to()), s.reason(), s.request(), superuser(name),
                    platform.secrets().ensure(name, SpecValidator.REPLICATION_USER));
            case Rejoin s -> {
                // A just-promoted primary records its new timeline in pg_control only at its next
                // checkpoint; pg_rewind reads it there, and before that finds nothing to rewind.
                onPrimary(cluster, observed, primary, sql -> sql.execute("CHECKPOINT"));
                platform.instances().rejoin(cluster, s.instance(),
                        runtime(cluster, observed, s.primary()).endpoint(), s.primary(), superuser(name));
            }
            case Promote s -> handover.promote(runtime(cluster, observed, s.instance()), superuser(name));
            case RemoveInstance s -> {
                observed.instance(s.instance()).ifPresent(o -> pools.forget(o.runtime().endpoint()));
                platform.instances().remove(cluster, s.instance(), s.keepData());
            }
            case CreateSlot s -> onPrimary(cluster, observed, primary,
                    sql -> sql.execute(SqlStatements.createPhysicalSlot(s.slot())));
            case DropSlot s -> onPrimary(cluster, observed, primary,
                    sql -> sql.execute(SqlStatements.dropSlot(s.slot())));
            case CreateRole s -> onPrimary(cluster, observed, primary, sql -> {
                sql.execute(SqlStatements.createRole(s.role(), s.attributes()));
                if (s.attributes().flags().getOrDefault(RoleFlag.LOGIN, false)) {
                    sql.setPassword(s.role(), platform.secrets().ensure(name, s.role()).password());
                }
            });
            case AlterRole s -> onPrimary(cluster, observed, primary, sql -> {
                sql.execute(SqlStatements.alterRole(s.role(), s.attributes()));
                if (s.attributes().flags().getOrDefault(RoleFlag.LOGIN, false)) {
                    // a role that could not log in before has no password yet
                    sql.setPassword(s.role(), platform.secrets().ensure(name, s.role()).password());
                }
            });
            case CreateDatabase s -> onPrimary(cluster, observed, primary,
                    sql -> sql.execute(SqlStatements.createDatabase(s.database(), s.owner())));
            case AlterDatabaseOwner s -> onPrimary(cluster, observed, primary,
                    sql -> sql.execute(SqlStatements.alterDatabaseOwner(s.database(), s.owner())));
            case Forget s -> {
                platform.resources().delete(cluster);
                if (s.keepData()) {
                    platform.secrets().release(name);
                } else {
                    platform.secrets().deleteAll(name);
                }
                platform.clusters().remove(name);
            }
        }
    }

    private Credentials superuser(String cluster) {
        return platform.secrets().get(cluster, SpecValidator.SUPERUSER)
                .orElseThrow(() -> new PgoException("the superuser secret of " + cluster + " is missing"));
    }

    /**
     * Where an instance runs. One that ran when the pass observed it still runs where it did; one
     * that a step of this plan started (a primary just bootstrapped) is asked for afresh.
     */
    private InstanceRuntime runtime(PgCluster cluster, ObservedCluster observed, String instance) {
        return observed.instance(instance).map(ObservedInstance::runtime).filter(InstanceRuntime::running)
                .orElseGet(() -> platform.instances().observe(cluster).stream()
                        .filter(r -> r.name().equals(instance)).findFirst()
                        .orElseThrow(() -> new PgoException(instance + " has no volume")));
    }

    /** An instance as this pass observed it, running or not. */
    private InstanceRuntime observedRuntime(PgCluster cluster, ObservedCluster observed, String instance) {
        return observed.instance(instance).map(ObservedInstance::runtime)
                .orElseGet(() -> runtime(cluster, observed, instance));
    }

    private void onPrimary(PgCluster cluster, ObservedCluster observed, String primary, Consumer<SqlSession> work) {
        InstanceRuntime runtime = runtime(cluster, observed, primary);
        try {
            pools.withConnection(runtime.endpoint(), "postgres", superuser(cluster.name()), connection -> {
                work.accept(new SqlSession(connection, primary));
                return null;
            });
        } catch (SQLException e) {
            throw new PgoException("lost the connection to " + primary + ": " + e.getMessage());
        }
    }
}
