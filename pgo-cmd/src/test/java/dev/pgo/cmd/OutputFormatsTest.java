package dev.pgo.cmd;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.manifest.Manifests;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What scripts rely on from every `show ... all`: JSON and YAML parse back into a List of the
 * resources, the table has the documented columns and --no-headers drops only that line, and
 * -o name prints kind/name. The clusters are manifests in the store; no server is needed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputFormatsTest {
    private TempPgoHome home;
    private Path root;

    @BeforeAll
    void setUp() {
        home = new TempPgoHome();
        root = home.root();
        home.platform().clusters().apply(Clusters.spec("alpha", 2));
        home.platform().clusters().apply(Clusters.spec("bravo", 3));
        home.platform().clusters().apply(Clusters.spec("charlie", 1)); // one instance: a database
    }

    @AfterAll
    void tearDown() {
        home.close();
    }

    @ParameterizedTest(name = "show {0} all")
    @CsvSource({"cluster, 'NAME PHASE READY PRIMARY VERSION STORAGE AGE', 'alpha bravo'",
            "database, 'NAME PHASE READY PRIMARY VERSION STORAGE AGE', 'charlie'"})
    void everyFormatOfShowAllIsWhatScriptsExpect(String noun, String columns, String names) {
        List<String> expected = List.of(names.split(" "));
        for (String format : List.of("json", "yaml")) {
            PgoRun run = pgo(root, "show", noun, "all", "-o", format);
            assertEquals(ExitCodes.OK, run.exit(), run.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> list = Manifests.readAs(run.out(), Map.class, format);
            assertEquals("List", list.get("kind"), format);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) list.get("items");
            assertEquals(expected, items.stream().map(i -> Manifests.readAs(Manifests.toJson(i), PgCluster.class, format))
                    .map(PgCluster::name).toList(), "items parse back as PgClusters: " + format);
        }
        PgoRun table = pgo(root, "show", noun, "all");
        List<String> lines = table.out().lines().toList();
        assertEquals(columns, String.join(" ", lines.getFirst().trim().split("\\s+")), "the documented columns");
        assertEquals(expected, lines.subList(1, lines.size()).stream().map(l -> l.split("\\s+")[0]).toList());

        PgoRun wide = pgo(root, "show", noun, "all", "-o", "wide");
        assertTrue(wide.out().lines().findFirst().orElseThrow().trim().endsWith("AGE  READ-WRITE"), wide.out());

        PgoRun bare = pgo(root, "show", noun, "all", "--no-headers");
        assertEquals(words(lines.subList(1, lines.size())), words(bare.out().lines().toList()), "the same rows");

        PgoRun name = pgo(root, "show", noun, "all", "-o", "name");
        assertEquals(expected.stream().map(n -> "pgcluster/" + n).toList(), name.out().lines().toList());
    }

    /** An empty platform is an empty List to a script, not an error. */
    @ParameterizedTest(name = "show {0} all -o {1} with nothing there")
    @CsvSource({"cluster, json", "cluster, yaml", "database, json", "pvc, json", "pvc, yaml"})
    void nothingToShowIsAnEmptyList(String noun, String format) {
        try (var empty = new TempPgoHome()) {
            PgoRun run = pgo(empty.root(), "show", noun, "all", "-o", format);
            assertEquals(ExitCodes.OK, run.exit(), run.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> list = Manifests.readAs(run.out(), Map.class, format);
            assertEquals(Map.of("apiVersion", "v1", "kind", "List", "items", List.of()), list, run.toString());
        }
    }

    /** Rows as their words: without the header, columns are as wide as the values only. */
    private static List<List<String>> words(List<String> rows) {
        return rows.stream().map(r -> List.of(r.trim().split("\\s+"))).toList();
    }
}
