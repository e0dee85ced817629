package dev.pgo.cmd;

import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: bad input gets a clear error and a non-zero exit, and changes nothing. Each manifest
 * of the corpus (src/test/resources/bad-input/manifests, its first line "# expect: TEXT" says
 * what the error must name) is applied; bad command lines are run; and mutations of a valid
 * manifest, generated from a fixed seed, are checked with --dry-run.
 */
class BadInputTest {
    /** How many generated manifests the fuzz test tries: -Dpgo.chaos.mutations=N (make chaos: 3000). */
    static final int MUTATIONS = Integer.getInteger("pgo.chaos.mutations", 400);
    private static final String VALID = """
            apiVersion: pgo.dev/v1
            kind: PgCluster
            metadata:
              name: fuzzed
              labels:
                team: billing
            spec:
              instances: 3
              postgresVersion: 15
              storage:
                size: 2Gi
              parameters:
                work_mem: "64MB"
              users:
                app: [CREATEDB]
              databases:
                orders: app
            """;

    /** A new one for each test: JUnit makes a new instance of the class per test. */
    private final TempPgoHome home = new TempPgoHome();

    @AfterEach
    void removeHome() {
        home.close();
    }

    static Stream<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(BadInputTest.class.getResource("/bad-input/manifests").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void aMalformedManifestIsRefusedClearlyAndNothingIsStored(Path manifest) throws IOException {
        String first = new String(Files.readAllBytes(manifest), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
        assertTrue(first.startsWith("# expect: "), manifest + " must say what its error names");
        String expected = first.substring("# expect: ".length());

        PgoRun run = pgo(home.root(), "apply", "-f", manifest.toString());

        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains(expected), "the error names " + expected + "\n" + run);
        assertClear(run);
        assertNothingStored();
    }

    @Test
    void aParameterValueStaysOneValue() throws Exception {
        Path manifest = home.root().resolve("quoted.yaml");
        Files.writeString(manifest, """
                apiVersion: pgo.dev/v1
                kind: PgCluster
                metadata:
                  name: quoted
                spec:
                  parameters:
                    application_name: "x' ; archive_command = 'rm -rf /"
                """);

        PgoRun run = pgo(home.root(), "apply", "-f", manifest.toString());

        assertEquals(0, run.exit(), run.toString());
        // reset_val: what the server was started with (the JDBC driver sets its own application_name)
        try (var c = home.connectToPrimary("quoted"); var st = c.createStatement(); var rs = st.executeQuery(
                "SELECT reset_val, current_setting('archive_command') FROM pg_settings WHERE name = 'application_name'")) {
            rs.next();
            assertEquals("x' ; archive_command = 'rm -rf /", rs.getString(1));
            assertFalse(rs.getString(2).contains("rm -rf"), "no setting was added: " + rs.getString(2));
        }
    }

    /** Bad command lines: what each must say. */
    static Stream<List<String>> commandLines() {
        return Stream.of(
                List.of("2", "Missing required parameter", "create", "cluster"),
                List.of("2", "--replicas", "create", "cluster", "c", "--replicas", "abc"),
                List.of("1", "replicas", "create", "cluster", "c", "--replicas", "-1"),
                List.of("1", "metadata.name", "create", "cluster", "c; rm -rf /"),
                List.of("1", "metadata.name", "create", "database", "../../etc"),
                List.of("1", "--parameter expects NAME=VALUE", "create", "cluster", "c", "--parameter", "noequals"),
                List.of("1", "spec.storage.size", "create", "cluster", "c", "--storage", "1Zi"),
                List.of("1", "unknown platform 'mars'", "--platform", "mars", "show", "cluster", "all"),
                List.of("2", "--output", "show", "cluster", "all", "-o", "xml"),
                List.of("2", "Did you mean: pgo show", "shoe", "cluster", "all"),
                List.of("1", "no cluster named", "delete", "cluster", "nothere"),
                List.of("1", "no cluster or database named nothere", "create", "backup", "nothere"),
                List.of("2", "--timeout", "create", "cluster", "c", "--timeout", "soon"),
                List.of("1", "no such file", "apply", "-f", "/nonexistent/manifest.yaml"),
                List.of("1", "it is a directory", "apply", "-f", "/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void aBadCommandLineIsRefusedClearlyAndNothingChanges(List<String> line) {
        int exit = Integer.parseInt(line.get(0));
        String expected = line.get(1);
        String[] args = line.subList(2, line.size()).toArray(String[]::new);

        PgoRun run = pgo(home.root(), args);

        assertEquals(exit, run.exit(), run.toString());
        assertTrue(run.err().contains(expected), "the error names " + expected + "\n" + run);
        if (exit == ExitCodes.ERROR) {
            assertTrue(run.err().startsWith("error: "), "nothing is announced before the error\n" + run);
        }
        assertClear(run);
        assertNothingStored();
    }

    @Test
    void generatedManifestsNeverCrashPgo() throws IOException {
        long seed = Long.getLong("pgo.chaos.seed", 20261203L);
        var random = new Random(seed);
        Path manifest = home.root().resolve("fuzzed.yaml");
        int refused = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            String text = mutate(VALID, random);
            Files.writeString(manifest, text);
            PgoRun run = pgo(home.root(), "apply", "--dry-run", "-f", manifest.toString());
            String context = "mutation " + i + " (seed " + seed + "):\n" + text + "\n" + run;
            assertTrue(run.exit() == 0 || run.exit() == 1, context);
            assertClear(run);
            if (run.exit() == 1) {
                refused++;
                assertFalse(run.err().isBlank(), context);
            }
        }
        assertNothingStored();
        System.out.println(MUTATIONS + " generated manifests (seed " + seed + "): " + refused + " refused, "
                + (MUTATIONS - refused) + " valid");
        assertNotEquals(0, refused, "the mutations must include invalid manifests");
        assertNotEquals(MUTATIONS, refused, "the mutations must include valid manifests");
    }

    /** One random change of a line: a value replaced, a key renamed, a line dropped or doubled, bytes inserted. */
    static String mutate(String valid, Random random) {
        List<String> lines = new ArrayList<>(valid.lines().toList());
        String[] values = {"-1", "0", "99999999999999999999", "2.5", "\"\"", "null", "~", "[]", "{}", "yes", "Ⅻ",
                "'; DROP TABLE x; --", "\"a\\nb\"", "\"\\u0000\"", "&a x", "*a", "!!binary AAAA", "1e9", "0x10",
                "\"" + "x".repeat(5000) + "\"", "\"ü\"", "!!python/object:os.system [ls]"};
        int changes = 1 + random.nextInt(3);
        for (int c = 0; c < changes && !lines.isEmpty(); c++) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            int colon = line.indexOf(':');
            switch (random.nextInt(6)) {
                case 0 -> lines.set(at, colon > 0 ? line.substring(0, colon + 1) + " " + values[random.nextInt(values.length)]
                        : line + values[random.nextInt(values.length)]);
                case 1 -> lines.set(at, colon > 0 ? line.substring(0, colon) + "x" + line.substring(colon) : line);
                case 2 -> lines.remove(at);
                case 3 -> lines.add(at, line);
                case 4 -> lines.set(at, " ".repeat(random.nextInt(4)) + line);
                default -> {
                    int pos = random.nextInt(line.length() + 1);
                    lines.set(at, line.substring(0, pos) + (char) (random.nextInt(0x3000)) + line.substring(pos));
                }
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** An error a user can read: no stack trace, no Java exception names, no internals. */
    private static void assertClear(PgoRun run) {
        for (String stream : List.of(run.out(), run.err())) {
            assertFalse(stream.contains("\tat ") || stream.contains("Exception") || stream.contains("java.")
                    || stream.contains("com.fasterxml") || stream.contains("NullPointer"), run.toString());
        }
    }

    private void assertNothingStored() {
        assertTrue(home.platform().clusters().list().isEmpty(), "no cluster stored");
        assertTrue(home.platform().volumes().list().isEmpty(), "no volume made");
        try (Stream<Path> files = Files.exists(home.root().resolve("clusters"))
                ? Files.list(home.root().resolve("clusters")) : Stream.empty()) {
            assertEquals(List.of(), files.toList(), "no file under clusters/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
