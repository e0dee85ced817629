package dev.pgo.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LsnTest {

    @ParameterizedTest(name = "{0} is byte {1}")
    @CsvSource({
            "0/0, 0",
            "0/1, 1",
            "0/FFFFFFFF, 4294967295",
            "1/0, 4294967296",
            "16/B374D848, 97500059720",
            "16/b374d848, 97500059720",
            "0/3000060, 50331744",
            "7FFFFFFF/FFFFFFFF, 9223372036854775807",
    })
    void convertsAnLsnToItsByteOffset(String lsn, long bytes) {
        assertEquals(bytes, Lsn.toBytes(lsn));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void treatsAMissingLsnAsUnknown(String lsn) {
        assertEquals(-1, Lsn.toBytes(lsn));
    }

    @Test
    void ordersLsnsAsPostgresDoes() {
        assertTrue(Lsn.toBytes("1/0") > Lsn.toBytes("0/FFFFFFFF"));
        assertTrue(Lsn.toBytes("0/10") > Lsn.toBytes("0/F"));
        assertEquals(16, Lsn.toBytes("0/3000070") - Lsn.toBytes("0/3000060"), "lag in bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "16-B374D848", "G/0", "0/XYZ", "/"})
    void refusesTextThatIsNotAnLsnRatherThanReturningANumber(String text) {
        assertThrows(RuntimeException.class, () -> Lsn.toBytes(text));
    }
}
