package dev.pgo.reconcile;

import dev.pgo.api.v1.Phase;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What `pgo show` computes from a fresh look, and that the stored cluster it started from stays as it was. */
class LiveStatusTest {
    private TempPgoHome home;
    private ConnectionPools pools;
    private LiveStatus live;

    @BeforeEach
    void setUp() {
        home = new TempPgoHome();
        pools = new ConnectionPools(Duration.ofSeconds(1));
        live = new LiveStatus(new Reconciler(home.platform(), pools, Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        pools.close();
        home.close();
    }

    @Test
    void aClusterThatWasNeverCreatedIsShownAsNotReadyWhileItsStoredStatusStays() {
        PgCluster stored = Clusters.spec("shop", 3);
        PgClusterStatus said = running("shop-0", 3);
        stored.setStatus(said);

        PgCluster shown = live.view(stored).cluster();

        assertEquals(0, shown.getStatus().getReadyInstances(), "no instance of it runs");
        assertNotEquals(Phase.Running, shown.getStatus().getPhase());
        assertEquals("shop", shown.name());
        assertEquals(3, shown.getSpec().getInstances());
        assertSame(said, stored.getStatus(), "the stored cluster keeps the status it had");
        assertEquals(Phase.Running, stored.getStatus().getPhase());
        assertEquals(3, stored.getStatus().getReadyInstances());
    }

    @Test
    void anInvalidSpecIsShownAsFailedWithoutTouchingTheStoredCluster() {
        PgCluster stored = Clusters.spec("shop", 3);
        stored.getSpec().setInstances(0);
        PgClusterStatus before = stored.getStatus();

        PgCluster shown = live.view(stored).cluster();

        assertEquals(Phase.Failed, shown.getStatus().getPhase());
        assertTrue(shown.getStatus().getConditions().stream().anyMatch(c -> c.getMessage().contains("instances")),
                "the problem is named: " + shown.getStatus().getConditions());
        assertSame(before, stored.getStatus(), "the stored cluster gets no status from being shown");
        assertEquals(null, stored.getStatus().getPhase());
    }

    private static PgClusterStatus running(String primary, int ready) {
        var status = new PgClusterStatus();
        status.setPhase(Phase.Running);
        status.setPrimary(primary);
        status.setReadyInstances(ready);
        return status;
    }
}
