package dev.pgo.cmd;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Completion as a user meets it: `pgo __complete` for what the shells ask, and the generated
 * bash script loaded into a real bash, its completion function called as bash calls it on Tab.
 * The clusters are manifests in the store; completing their names needs no server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompletionTest {
    private TempPgoHome home;
    private Path root;

    @BeforeAll
    void setUp() {
        home = new TempPgoHome();
        root = home.root();
        home.platform().clusters().apply(Clusters.spec("alpha", 2));
        home.platform().clusters().apply(Clusters.spec("apex", 3));
        home.platform().clusters().apply(Clusters.spec("beta", 1)); // one instance: a database
    }

    @AfterAll
    void tearDown() {
        home.close();
    }

    private List<String> complete(String... words) {
        var argv = new ArrayList<>(List.of("__complete"));
        argv.addAll(List.of(words));
        PgoRun run = pgo(root, argv.toArray(String[]::new));
        assertEquals(ExitCodes.OK, run.exit(), run.toString());
        return run.out().lines().toList();
    }

    @Test
    void completeAnswersWithCandidatesThenADirective() {
        assertEquals(List.of("all", "alpha", "apex", ":4"), complete("show", "cluster", ""));
        assertEquals(List.of("all", "alpha", ":4"), complete("show", "cluster", "al"));
        assertEquals(List.of("all", "beta", ":4"), complete("show", "database", ""), "databases only");
        assertEquals(List.of("apex-0", "apex-1", "apex-2", ":4"), complete("switchover", "apex", "--target", ""));
        assertEquals(List.of("json", ":4"), complete("show", "cluster", "alpha", "-o", "j"));
        assertEquals(List.of("--show-secrets", ":4"), complete("show", "cluster", "--sh"));
        assertEquals(List.of("switchover", ":4"), complete("sw"));
        assertEquals(List.of("local", "kubernetes", ":4"), complete("--", "--platform", ""), "after --, options are words");
        assertEquals(List.of(":0"), complete("apply", "-f", ""), "no candidates: the shell completes file names");
        assertEquals(List.of(":4"), complete("create", "cluster", ""), "a new name has no candidates");
        assertTrue(complete("").containsAll(List.of("create", "show", "switchover", "completion")));
        assertTrue(!complete("").contains("__complete"), "hidden commands are not offered");
    }

    @Test
    void theGeneratedBashScriptCompletesCommandsOptionsValuesAndLiveNames() throws Exception {
        Path dir = Files.createTempDirectory(root, "bash-");
        Path script = dir.resolve("pgo.bash");
        PgoRun generated = pgo(root, "completion", "bash");
        assertEquals(ExitCodes.OK, generated.exit(), generated.toString());
        Files.writeString(script, generated.out());
        Path bin = Files.createDirectories(dir.resolve("bin"));
        writeExecutable(bin.resolve("pgo"), wrapper());
        Files.writeString(dir.resolve("manifest.yaml"), "kind: PgCluster\n");

        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("pgo sho", "show");
        cases.put("pgo show ''", "backup cluster database pvc");
        cases.put("pgo show cluster ''", "all alpha apex");
        cases.put("pgo show cluster --no", "--no-headers");
        cases.put("pgo show cluster alpha -o y", "yaml");
        cases.put("pgo switchover apex --target ''", "apex-0 apex-1 apex-2");
        cases.put("pgo delete database ''", "beta");
        cases.put("pgo help swi", "switchover");
        cases.put("pgo apply -f " + dir.resolve("mani"), dir.resolve("manifest.yaml").toString());
        cases.put("pgo completion ''", "bash zsh");
        var driver = new StringBuilder("source '" + script + "'\n");
        driver.append("t() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _pgo; echo \"${COMPREPLY[*]}\"; }\n");
        cases.keySet().forEach(line -> driver.append("t ").append(line).append('\n'));
        driver.append("complete -p pgo\n");
        // pgo stops answering: names asked for in the last seconds still come, from the cache
        driver.append("printf '#!/bin/bash\\nexit 1\\n' > '").append(bin.resolve("pgo")).append("'\n");
        driver.append("t pgo show cluster al\n");
        driver.append("t pgo show backup ''\n");

        var process = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", driver.toString())
                .redirectErrorStream(true);
        process.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        process.environment().put("XDG_RUNTIME_DIR", Files.createDirectories(dir.resolve("run")).toString());
        Process bash = process.start();
        assertTrue(bash.waitFor(120, TimeUnit.SECONDS), "bash finished");
        List<String> lines = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        var expected = new ArrayList<>(cases.values());
        expected.add("complete -F _pgo pgo");
        expected.add("all alpha");
        expected.add("");
        assertEquals(expected, lines);
    }

    /**
     * zsh loads the same script through bashcompinit. zsh is not on every machine, so this runs
     * where it is; it caught a variable named "path", which in zsh is $PATH.
     */
    @Test
    void zshLoadsTheScriptAndItsFunctionsAnswerAsInBash() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/zsh")) || Files.isExecutable(Path.of("/bin/zsh")), "zsh here");
        Path dir = Files.createTempDirectory(root, "zsh-");
        Path script = dir.resolve("_pgo");
        Files.writeString(script, pgo(root, "completion", "zsh").out());
        Path bin = Files.createDirectories(dir.resolve("bin"));
        writeExecutable(bin.resolve("pgo"), wrapper());
        String driver = "source '" + script + "'\nemulate -L sh\nsetopt ksharrays\n"
                + "t() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _pgo; echo \"${COMPREPLY[*]}\"; }\n"
                + "t pgo show cluster ''\nt pgo switchover apex --target ''\nt pgo show cluster alpha -o y\n";
        var process = new ProcessBuilder("zsh", "-f", "-c", driver).redirectErrorStream(true);
        process.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        process.environment().put("XDG_RUNTIME_DIR", Files.createDirectories(dir.resolve("run")).toString());
        Process zsh = process.start();
        assertTrue(zsh.waitFor(120, TimeUnit.SECONDS), "zsh finished");
        List<String> lines = new String(zsh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("all alpha apex", "apex-0 apex-1 apex-2", "yaml"), lines);
    }

    /** A pgo on PATH that runs this build's pgo against the test's home. */
    private String wrapper() {
        return "#!/bin/bash\nexec '" + ProcessHandle.current().info().command().orElseThrow() + "' -cp '"
                + System.getProperty("java.class.path") + "' " + Main.class.getName() + " --home '" + root
                + "' \"$@\"\n";
    }

    private static void writeExecutable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
