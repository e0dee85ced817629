package dev.pgo.testing;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.reconcile.Convergence;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.StepListener;
import dev.pgo.sql.ConnectionPools;

import java.time.Clock;
import java.time.Duration;

/**
 * What a test of local clusters needs: a throw-away $PGO_HOME, the reconciler over it and its
 * connection pools; closing stops every server and removes the home, also after a failure.
 */
public final class LocalClusters implements AutoCloseable {
    private final TempPgoHome home = new TempPgoHome();
    private final ConnectionPools pools = new ConnectionPools(Duration.ofSeconds(2));
    private final Reconciler reconciler = new Reconciler(home.platform(), pools, Clock.systemUTC());
    private final Convergence convergence = new Convergence(reconciler);

    public TempPgoHome home() {
        return home;
    }

    public ConnectionPools pools() {
        return pools;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public Convergence convergence() {
        return convergence;
    }

    /** Stores the cluster's spec and reconciles until it runs as it says. */
    public PgClusterStatus apply(PgCluster cluster, Duration timeout) {
        home.platform().clusters().apply(cluster);
        return convergence.awaitRunning(cluster.name(), timeout, StepListener.SILENT);
    }

    @Override
    public void close() {
        try {
            pools.close();
        } finally {
            home.close();
        }
    }
}
