package dev.pgo.platform.kubernetes;

import dev.pgo.validate.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class OperatorConfigTest {

    @Test
    void anEmptyConfigMapMeansTheDefaults() {
        var parsed = OperatorConfig.parse(Map.of());
        assertEquals(List.of(), parsed.problems());
        assertEquals(OperatorConfig.DEFAULTS, parsed.config());
        assertEquals("postgres:17", parsed.config().imageFor(17));
        assertEquals(Duration.ofMinutes(5), parsed.config().resyncPeriod());
        assertEquals("256Mi", parsed.config().defaultResources().getRequests().get("memory").toString());
    }

    @Test
    void everyKeyIsRead() {
        var parsed = OperatorConfig.parse(Map.of(
                "image", "registry.example.com/pg:{version}-bookworm",
                "resync_period_seconds", "60",
                "watched_namespaces", "db, analytics",
                "default_cpu_request", "250m",
                "default_memory_request", "512Mi",
                "default_cpu_limit", "2",
                "default_memory_limit", "2Gi",
                "keep_volumes_on_delete", "true"));
        assertEquals(List.of(), parsed.problems());
        OperatorConfig config = parsed.config();
        assertEquals("registry.example.com/pg:16-bookworm", config.imageFor(16));
        assertEquals(Duration.ofSeconds(60), config.resyncPeriod());
        assertEquals(List.of("db", "analytics"), config.watchedNamespaces());
        assertEquals("250m", config.defaultResources().getRequests().get("cpu").toString());
        assertEquals("2", config.defaultResources().getLimits().get("cpu").toString());
        assertEquals("2Gi", config.defaultResources().getLimits().get("memory").toString());
        assertTrue(config.keepVolumesOnDelete());
    }

    @Test
    void theInstalledConfigMapListsEveryKeyAndReadsAsTheDefaults() {
        Map<String, String> installed = InstallManifests.defaultConfiguration();
        var parsed = OperatorConfig.parse(installed);
        assertEquals(List.of(), parsed.problems());
        assertEquals(OperatorConfig.DEFAULTS, parsed.config());
        for (String key : List.of("image", "resync_period_seconds", "watched_namespaces", "default_cpu_request",
                "default_memory_request", "default_cpu_limit", "default_memory_limit", "keep_volumes_on_delete")) {
            assertTrue(installed.containsKey(key), key);
        }
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                arguments("resync_period_seconds", "soon"),
                arguments("resync_period_seconds", "5"),
                arguments("default_memory_request", "lots"),
                arguments("default_cpu_limit", "-1"),
                arguments("keep_volumes_on_delete", "yes"),
                arguments("image", "postgres 17"),
                arguments("imge", "postgres:{version}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badValues")
    void aBadValueIsAProblemNamingItsKeyAndTheDefaultStays(String key, String value) {
        var parsed = OperatorConfig.parse(Map.of(key, value));
        assertEquals(List.of(key), parsed.problems().stream().map(Problem::field).toList());
        assertFalse(parsed.problems().getFirst().message().isBlank());
        assertEquals(OperatorConfig.DEFAULTS, parsed.config(), "a bad value never replaces a default");
    }
}
