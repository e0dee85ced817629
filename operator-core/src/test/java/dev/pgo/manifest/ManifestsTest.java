package dev.pgo.manifest;

import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterSpec;
import dev.pgo.validate.SpecValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ManifestsTest {
    private static final String HEAD = """
            apiVersion: pgo.dev/v1
            kind: PgCluster
            metadata:
              name: orders
            """;

    private static PgCluster parseOne(String yaml) {
        List<PgCluster> all = Manifests.parse(yaml, "orders.yaml");
        assertEquals(1, all.size());
        return all.getFirst();
    }

    private static PgoException refused(String yaml) {
        return assertThrows(PgoException.class, () -> Manifests.parse(yaml, "orders.yaml"));
    }

    private static void assertMentions(String message, String... words) {
        for (String word : words) {
            assertTrue(message.contains(word), () -> "message '" + message + "' should mention '" + word + "'");
        }
    }

    @Test
    void readsAFullManifest() {
        PgCluster cluster = parseOne("""
                apiVersion: pgo.dev/v1
                kind: PgCluster
                metadata:
                  name: orders
                  labels:
                    team: dba
                spec:
                  instances: 3
                  postgresVersion: 17
                  storage:
                    size: 5Gi
                  parameters:
                    max_connections: 200
                    work_mem: 64MB
                  users:
                    app: [LOGIN, CREATEDB]
                    reporting: []
                  databases:
                    app: app
                  labels:
                    tier: gold
                """);
        assertEquals("orders", cluster.name());
        assertEquals(Map.of("team", "dba"), cluster.getMetadata().getLabels());
        PgClusterSpec spec = cluster.getSpec();
        assertEquals(3, spec.getInstances());
        assertEquals(17, spec.getPostgresVersion());
        assertEquals("5Gi", spec.getStorage().getSize());
        assertEquals(Map.of("max_connections", "200", "work_mem", "64MB"), spec.getParameters());
        assertEquals(List.of("LOGIN", "CREATEDB"), spec.getUsers().get("app"));
        assertEquals(List.of(), spec.getUsers().get("reporting"));
        assertEquals(Map.of("app", "app"), spec.getDatabases());
        assertEquals(Map.of("tier", "gold"), spec.getLabels());
        assertEquals(List.of(), SpecValidator.validate(cluster));
    }

    @Test
    void fillsDefaultsForWhatAManifestLeavesOut() {
        PgCluster cluster = parseOne(HEAD);
        assertEquals(1, cluster.getSpec().getInstances());
        assertEquals("1Gi", cluster.getSpec().getStorage().getSize());
    }

    @ParameterizedTest(name = "parameter written as {0} is read as the string \"{1}\"")
    @MethodSource("scalarParameters")
    void readsParameterValuesOfAnyYamlScalarTypeAsStrings(String yamlValue, String expected) {
        PgCluster cluster = parseOne(HEAD + "spec:\n  parameters:\n    some_setting: " + yamlValue + "\n");
        assertEquals(expected, cluster.getSpec().getParameters().get("some_setting"));
    }

    static Stream<Arguments> scalarParameters() {
        return Stream.of(
                arguments("200", "200"),
                arguments("0.9", "0.9"),
                arguments("64MB", "64MB"),
                arguments("\"200\"", "200"),
                arguments("'0600'", "0600"),
                arguments("'off'", "off"),
                arguments("\"'$user', public\"", "'$user', public"),
                arguments("'it''s'", "it's"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownFields")
    void refusesUnknownFieldsNamingThem(String behaviour, String yaml, String[] words) {
        assertMentions(refused(yaml).getMessage(), words);
    }

    static Stream<Arguments> unknownFields() {
        return Stream.of(
                arguments("refuses a misspelt spec field", HEAD + "spec:\n  instance: 3\n",
                        new String[]{"orders.yaml", "unknown field 'instance'", "in spec", "known fields:", "instances"}),
                arguments("refuses an unknown top-level field", HEAD + "spek:\n  instances: 3\n",
                        new String[]{"unknown field 'spek'", "top level", "spec"}),
                arguments("refuses an unknown storage field", HEAD + "spec:\n  storage:\n    sise: 1Gi\n",
                        new String[]{"unknown field 'sise'", "in spec.storage", "size"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTypes")
    void refusesValuesOfTheWrongTypeNamingTheField(String behaviour, String yaml, String[] words) {
        assertMentions(refused(yaml).getMessage(), words);
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                arguments("refuses instances written as a word", HEAD + "spec:\n  instances: \"three\"\n",
                        new String[]{"spec.instances", "whole number"}),
                arguments("refuses instances written as a list", HEAD + "spec:\n  instances: [1]\n",
                        new String[]{"spec.instances", "wrong type", "whole number"}),
                arguments("refuses instances written as a boolean", HEAD + "spec:\n  instances: true\n",
                        new String[]{"spec.instances", "whole number"}),
                arguments("refuses instances given as null", HEAD + "spec:\n  instances: null\n",
                        new String[]{"spec.instances"}),
                arguments("refuses an instance count beyond an int", HEAD + "spec:\n  instances: 99999999999\n",
                        new String[]{"99999999999", "out of range"}),
                arguments("refuses a quoted version number", HEAD + "spec:\n  postgresVersion: \"16\"\n",
                        new String[]{"spec.postgresVersion", "whole number"}),
                arguments("refuses parameters written as a list", HEAD + "spec:\n  parameters: [a, b]\n",
                        new String[]{"spec.parameters", "a mapping"}),
                arguments("refuses a parameter value that is a mapping",
                        HEAD + "spec:\n  parameters:\n    work_mem: {a: b}\n",
                        new String[]{"spec.parameters.work_mem", "a string"}),
                arguments("refuses role flags written as one word", HEAD + "spec:\n  users:\n    app: LOGIN\n",
                        new String[]{"spec.users.app", "a list"}),
                arguments("refuses a status phase pgo does not know", HEAD + "status:\n  phase: Bogus\n",
                        new String[]{"status.phase", "'Bogus'"}),
                arguments("refuses a manifest that is a list", "- a\n- b\n",
                        new String[]{"orders.yaml", "a mapping"}),
                arguments("refuses a manifest that is a single word", "hello\n",
                        new String[]{"orders.yaml", "a mapping"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("duplicateKeys")
    void refusesDuplicateKeysWithTheirLine(String behaviour, String yaml, String[] words) {
        assertMentions(refused(yaml).getMessage(), words);
    }

    static Stream<Arguments> duplicateKeys() {
        return Stream.of(
                arguments("refuses a duplicate spec field", HEAD + "spec:\n  instances: 1\n  instances: 2\n",
                        new String[]{"orders.yaml", "line 7", "Duplicate field 'instances'"}),
                arguments("refuses a duplicate parameter", HEAD + "spec:\n  parameters:\n    a: 1\n    a: 2\n",
                        new String[]{"line 8", "Duplicate field 'a'"}),
                arguments("refuses a duplicate top-level section", HEAD + "metadata:\n  name: other\n",
                        new String[]{"line 5", "Duplicate field 'metadata'"}));
    }

    /** Nine levels of nine aliases each: a billion "lol"s if anything expanded it. */
    private static String billionLaughs(String indent) {
        var out = new StringBuilder(indent + "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            out.append(indent).append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                out.append(i == 0 ? "" : ",").append('*').append((char) (c - 1));
            }
            out.append("]\n");
        }
        return out.toString();
    }

    @ParameterizedTest(name = "refuses a billion-laughs alias bomb placed in {0} quickly")
    @ValueSource(strings = {"spec.parameters", "spec.labels", "an unknown top-level field", "a bare document"})
    void refusesABillionLaughsBombQuickly(String where) {
        String yaml = switch (where) {
            case "spec.parameters" -> HEAD + "spec:\n  parameters:\n" + billionLaughs("    ");
            case "spec.labels" -> HEAD + "spec:\n  labels:\n" + billionLaughs("    ");
            case "an unknown top-level field" -> HEAD + "lol:\n" + billionLaughs("  ");
            default -> billionLaughs("");
        };
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> refused(yaml));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongKinds")
    void refusesAnythingButAPgClusterV1(String behaviour, String yaml, String found) {
        String message = refused(yaml).getMessage();
        assertMentions(message, "expected apiVersion pgo.dev/v1 and kind PgCluster", found);
    }

    static Stream<Arguments> wrongKinds() {
        return Stream.of(
                arguments("refuses apiVersion pgo.dev/v2", HEAD.replace("pgo.dev/v1", "pgo.dev/v2"),
                        "apiVersion 'pgo.dev/v2'"),
                arguments("refuses another group's v1", HEAD.replace("pgo.dev/v1", "v1"), "apiVersion 'v1'"),
                arguments("refuses a Pod", HEAD.replace("kind: PgCluster", "kind: Pod"), "kind 'Pod'"),
                arguments("refuses the kind in lower case", HEAD.replace("kind: PgCluster", "kind: pgcluster"),
                        "kind 'pgcluster'"),
                arguments("refuses a manifest without apiVersion", HEAD.replace("apiVersion: pgo.dev/v1\n", ""),
                        "apiVersion ''"),
                arguments("refuses a manifest without kind", HEAD.replace("kind: PgCluster\n", ""), "kind ''"));
    }

    @Test
    void readsEveryDocumentOfAMultiDocumentFileInOrder() {
        String yaml = "---\n" + HEAD + "spec:\n  instances: 2\n---\n" + HEAD.replace("orders", "billing")
                + "# trailing comment\n";
        List<PgCluster> all = Manifests.parse(yaml, "two.yaml");
        assertEquals(List.of("orders", "billing"), all.stream().map(PgCluster::name).toList());
        assertEquals(2, all.get(0).getSpec().getInstances());
        assertEquals(1, all.get(1).getSpec().getInstances());
    }

    @Test
    void refusesTheWholeFileWhenALaterDocumentIsBad() {
        String yaml = HEAD + "---\n" + HEAD.replace("orders", "billing") + "spec:\n  instances: many\n";
        assertMentions(refused(yaml).getMessage(), "spec.instances");
    }

    @ParameterizedTest(name = "refuses input {0} as holding no manifest")
    @ValueSource(strings = {"", "\n", "   \n\n", "# only a comment\n"})
    void refusesInputWithoutAManifest(String yaml) {
        assertEquals("orders.yaml holds no manifest", refused(yaml).getMessage());
    }

    @Test
    void refusesTextThatIsNotYaml() {
        assertMentions(refused("spec: [unclosed\n").getMessage(), "orders.yaml", "line");
    }

    @Test
    void refusesInputLargerThanOneMillionCharacters() {
        String yaml = HEAD + "#" + "x".repeat(1_000_001) + "\n";
        assertMentions(refused(yaml).getMessage(), "orders.yaml is larger than 1000000 characters");
    }

    @Test
    void acceptsJsonToo() {
        PgCluster cluster = parseOne("{\"apiVersion\":\"pgo.dev/v1\",\"kind\":\"PgCluster\","
                + "\"metadata\":{\"name\":\"j\"},\"spec\":{\"instances\":2,\"parameters\":{\"max_connections\":300}}}");
        assertEquals("j", cluster.name());
        assertEquals("300", cluster.getSpec().getParameters().get("max_connections"));
    }

    @Test
    void readReturnsTheFirstManifest() {
        assertEquals("orders", Manifests.read(HEAD + "---\n" + HEAD.replace("orders", "other"), "x").name());
    }

    private static PgCluster trickyCluster() {
        var cluster = new PgCluster();
        cluster.getMetadata().setName("rt");
        cluster.getMetadata().setLabels(new LinkedHashMap<>(Map.of("team", "dba", "pgo.dev/kind", "cluster")));
        var spec = cluster.getSpec();
        spec.setInstances(3);
        spec.setPostgresVersion(17);
        spec.getStorage().setSize("2Gi");
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("max_connections", "200");
        parameters.put("checkpoint_completion_target", "0.9");
        parameters.put("log_file_mode", "0600");
        parameters.put("enable_seqscan", "off");
        parameters.put("jit", "yes");
        parameters.put("a.null", "null");
        parameters.put("a.tilde", "~");
        parameters.put("a.empty", "");
        parameters.put("a.quote", "it's");
        parameters.put("a.dquote", "\"$user\", public");
        parameters.put("a.backslash", "C:\\path\\");
        parameters.put("a.colon", "key: value");
        parameters.put("a.hash", "# not a comment");
        parameters.put("a.star", "*alias");
        parameters.put("a.amp", "&anchor");
        parameters.put("a.dash", "- item");
        parameters.put("a.float", "1.10");
        parameters.put("a.plus", "+1");
        parameters.put("a.leading_zero", "012");
        parameters.put("a.unicode", "grüße ✓");
        spec.setParameters(parameters);
        spec.getUsers().put("app", List.of("LOGIN", "CREATEDB"));
        spec.getUsers().put("ro", List.of());
        spec.getDatabases().put("app", "app");
        spec.getLabels().put("tier", "gold");
        return cluster;
    }

    @Test
    void roundTripsThroughYamlWithoutChangingAnyValue() {
        PgCluster original = trickyCluster();
        String yaml = Manifests.toYaml(original);
        PgCluster back = parseOne(yaml);
        assertEquals("rt", back.name());
        assertEquals(original.getMetadata().getLabels(), back.getMetadata().getLabels());
        assertEquals(3, back.getSpec().getInstances());
        assertEquals(17, back.getSpec().getPostgresVersion());
        assertEquals("2Gi", back.getSpec().getStorage().getSize());
        assertEquals(original.getSpec().getParameters(), back.getSpec().getParameters());
        assertEquals(original.getSpec().getUsers().get("app"), back.getSpec().getUsers().get("app"));
        assertEquals(original.getSpec().getDatabases(), back.getSpec().getDatabases());
        assertEquals(original.getSpec().getLabels(), back.getSpec().getLabels());
        assertEquals(yaml, Manifests.toYaml(back), "a second round trip changes the text");
    }

    @Test
    void writesYamlWithoutADocumentMarkerAndWithEveryStringQuoted() {
        String yaml = Manifests.toYaml(trickyCluster());
        assertTrue(yaml.startsWith("apiVersion: \"pgo.dev/v1\"\nkind: \"PgCluster\"\n"), yaml);
        assertTrue(yaml.contains("max_connections: \"200\""), yaml);
        assertTrue(yaml.contains("instances: 3\n"), yaml);
    }

    @Test
    void copyIsDeepAndEqual() {
        PgCluster original = trickyCluster();
        PgCluster copy = Manifests.copy(original);
        assertNotSame(original.getSpec(), copy.getSpec());
        assertEquals(Manifests.toYaml(original), Manifests.toYaml(copy));
        copy.getSpec().getParameters().put("work_mem", "1GB");
        copy.getSpec().getUsers().put("new", List.of());
        assertFalse(original.getSpec().getParameters().containsKey("work_mem"));
        assertFalse(original.getSpec().getUsers().containsKey("new"));
    }

    @Test
    void toJsonEndsWithANewlineAndReadsBack() {
        String json = Manifests.toJson(trickyCluster());
        assertTrue(json.endsWith("}\n"), json);
        assertEquals(trickyCluster().getSpec().getParameters(), parseOne(json).getSpec().getParameters());
    }

    // ---- regressions: each of these once failed ----

    @Test
    void reportsTheLineOfAWrongTypedField() {
        String message = refused(HEAD + "spec:\n  instances: \"three\"\n").getMessage();
        assertFalse(message.contains("line -1"), message);
        assertMentions(message, "line 6");
    }

    @Test
    void refusesAMisspeltMetadataField() {
        String yaml = HEAD + "  lables:\n    team: dba\n";
        assertMentions(refused(yaml).getMessage(), "unknown field 'lables'");
    }

    @ParameterizedTest(name = "refuses {0}")
    @ValueSource(strings = {"instances: 2.5", "postgresVersion: 16.4"})
    void refusesAFractionalNumberInAWholeNumberField(String line) {
        assertMentions(refused(HEAD + "spec:\n  " + line + "\n").getMessage(), "whole number");
    }

    @ParameterizedTest(name = "reads a file ending in {0}")
    @ValueSource(strings = {"---\n", "---\n---\n", "---\n# nothing more\n"})
    void skipsEmptyDocuments(String tail) {
        assertEquals(List.of("orders"), Manifests.parse(HEAD + tail, "orders.yaml").stream()
                .map(PgCluster::name).toList());
    }

    @Test
    void neverReadsAnAliasAsTheNameOfItsAnchor() {
        String yaml = HEAD + "spec:\n  parameters:\n    work_mem: &v 64MB\n    maintenance_work_mem: *v\n";
        try {
            PgCluster cluster = Manifests.parse(yaml, "orders.yaml").getFirst();
            assertEquals("64MB", cluster.getSpec().getParameters().get("maintenance_work_mem"));
        } catch (PgoException refusedIsFineToo) {
            // refusing aliases outright would also be correct
        }
    }

    @Test
    void aParameterWrittenWithoutAValueIsRefused() {
        PgCluster cluster;
        try {
            cluster = Manifests.parse(HEAD + "spec:\n  parameters:\n    work_mem:\n", "orders.yaml").getFirst();
        } catch (PgoException refusedIsFine) {
            return;
        }
        assertTrue(SpecValidator.validate(cluster).stream()
                .anyMatch(p -> p.field().equals("spec.parameters.work_mem")), "empty value accepted");
    }

    @ParameterizedTest(name = "round-trips the string \"{0}\"")
    @ValueSource(strings = {"1e3", "1e-3", "12e03", "0x1F", "0b101", "1_000", ".inf", ".nan"})
    void roundTripsStringsThatLookLikeNumbersToYaml(String value) {
        PgCluster cluster = new PgCluster();
        cluster.getMetadata().setName("rt");
        cluster.getSpec().getParameters().put("some.setting", value);
        PgCluster back = parseOne(Manifests.toYaml(cluster));
        assertEquals(value, back.getSpec().getParameters().get("some.setting"));
    }

    @Test
    void refusesAParameterGivenAsExplicitNull() {
        PgCluster cluster = parseOne(HEAD + "spec:\n  parameters:\n    work_mem: ~\n");
        assertTrue(SpecValidator.validate(cluster).stream()
                .anyMatch(p -> p.field().equals("spec.parameters.work_mem") && p.message().contains("needs a value")));
    }
}
