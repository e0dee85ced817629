package dev.pgo.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the dashboard's header says of the operator, from its leader Lease on the mock API server. */
@EnableKubernetesMockClient(crud = true)
class OperatorPresenceTest {
    KubernetesClient client;

    private void lease(String holder, Instant renewed) {
        client.leases().inNamespace("pgo-system").resource(new LeaseBuilder()
                .withNewMetadata().withName(KubernetesOperator.LEASE_NAME).withNamespace("pgo-system").endMetadata()
                .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15)
                .withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec().build()).createOr(r -> r.update());
    }

    @Test
    void theLeaseSaysWhetherAnOperatorRuns() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        assertEquals("not installed (no pgo-operator Lease; pgo install sets it up)",
                OperatorPresence.describe(client, now));
        lease("pgo-operator-7d9", now.minusSeconds(4));
        assertEquals("pgo-operator-7d9 in pgo-system", OperatorPresence.describe(client, now));
        lease("pgo-operator-7d9", now.minusSeconds(90));
        assertEquals("not running (pgo-operator-7d9 in pgo-system last renewed 90s ago)",
                OperatorPresence.describe(client, now));
    }
}
