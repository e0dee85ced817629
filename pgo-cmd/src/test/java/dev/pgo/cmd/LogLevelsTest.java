package dev.pgo.cmd;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What reaches a DBA's log from the libraries pgo runs on. */
class LogLevelsTest {
    @Test
    void theConnectionPoolReportsErrorsOnlyNotTheServersItLost() throws ClassNotFoundException {
        Class.forName(Main.class.getName()); // the levels are set when pgo starts
        // a logger not made before, so its level comes from what Main set (pgo's pools log under
        // com.zaxxer.hikari.pool)
        var pool = LoggerFactory.getLogger("com.zaxxer.hikari.pool.LogLevelsTestProbe");
        assertFalse(pool.isWarnEnabled(), "a restarted server's dead connections are not logged");
        assertTrue(pool.isErrorEnabled());
        assertTrue(LoggerFactory.getLogger("dev.pgo.cmd.LogLevelsTestProbe").isWarnEnabled(), "pgo's own warnings stay");
    }
}
