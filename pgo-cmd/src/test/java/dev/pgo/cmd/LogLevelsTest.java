package dev.pgo.cmd;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reaches a DBA's log from pgo and the libraries it runs on (simplelogger.properties, in
 * pgo's jar). Each probe is a logger not made before, so its level comes from those settings.
 */
class LogLevelsTest {
    @Test
    void theConnectionPoolReportsErrorsOnlyNotTheServersItLost() {
        // pgo's pools log under com.zaxxer.hikari.pool
        var pool = LoggerFactory.getLogger("com.zaxxer.hikari.pool.LogLevelsTestProbe");
        assertFalse(pool.isWarnEnabled(), "a restarted server's dead connections are not logged");
        assertTrue(pool.isErrorEnabled());
    }

    @Test
    void theOperatorLogsEachStepWhileOtherLibrariesKeepToWarnings() {
        assertTrue(LoggerFactory.getLogger("dev.pgo.operator.LogLevelsTestProbe").isInfoEnabled(),
                "the headless operator reports each step it takes");
        var library = LoggerFactory.getLogger("io.fabric8.kubernetes.LogLevelsTestProbe");
        assertFalse(library.isInfoEnabled());
        assertTrue(library.isWarnEnabled());
    }
}
