package dev.pgo.platform.local;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.testing.Clusters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What completion reads from the store without parsing a manifest must be what the manifest
 * says: as pgo writes it, and as a person may have written it by hand.
 */
class LocalClusterStoreTest {
    @TempDir
    Path dir;

    private LocalClusterStore store() throws IOException {
        Path clusters = Files.createDirectories(dir.resolve("clusters"));
        return new LocalClusterStore(clusters, new FileLocks(Files.createDirectories(dir.resolve("locks"))));
    }

    @Test
    void wantedInstancesIsTheSpecsCountAsPgoWroteIt() throws IOException {
        LocalClusterStore store = store();
        PgCluster cluster = Clusters.withRoles(Clusters.spec("shop", 3), Map.of("app", List.of("LOGIN")),
                Map.of("app", "app"));
        cluster.getMetadata().setAnnotations(Map.of("note", "instances: 9"));
        store.apply(cluster);
        store.apply(Clusters.spec("notes", 1));

        assertEquals(Optional.of(3), store.wantedInstances("shop"));
        assertEquals(Optional.of(1), store.wantedInstances("notes"));
        assertEquals(Optional.empty(), store.wantedInstances("gone"));
        assertEquals(Optional.empty(), store.wantedInstances("../shop"), "not a cluster name");
    }

    @Test
    void thePgoShapedLineIsReadWithoutParsingTheManifest() throws IOException {
        LocalClusterStore store = store();
        // pgo's shape, but YAML no parser takes: only the line can have answered
        Files.writeString(dir.resolve("clusters/torn.yaml"), """
                apiVersion: "pgo.dev/v1"
                kind: "PgCluster"
                metadata:
                  name: "torn"
                spec:
                  instances: 2
                  parameters: {unclosed: [
                """);
        assertEquals(Optional.of(2), store.wantedInstances("torn"));
        assertThrows(RuntimeException.class, () -> store.get("torn"));
    }

    @Test
    void aManifestOfAnotherShapeIsReadWhole() throws IOException {
        LocalClusterStore store = store();
        // instances after a nested block and indented by four: no two-space "instances:" line
        // under spec, so the manifest is parsed, and a status' instances do not count
        Files.writeString(dir.resolve("clusters/hand.yaml"), """
                apiVersion: pgo.dev/v1
                kind: PgCluster
                metadata:
                  name: hand
                spec:
                    storage:
                        size: 1Gi
                    postgresVersion: 15
                    instances: 2
                status:
                  instances: []
                """);
        Files.writeString(dir.resolve("clusters/flow.yaml"), """
                {"apiVersion": "pgo.dev/v1", "kind": "PgCluster", "metadata": {"name": "flow"},
                 "spec": {"instances": 4, "postgresVersion": 15, "storage": {"size": "1Gi"}}}
                """);

        assertEquals(Optional.of(2), store.wantedInstances("hand"));
        assertEquals(Optional.of(4), store.wantedInstances("flow"));
        assertEquals(store.get("hand").map(c -> c.getSpec().getInstances()), store.wantedInstances("hand"));
    }
}
