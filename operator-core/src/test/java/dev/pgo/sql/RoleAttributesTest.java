package dev.pgo.sql;

import dev.pgo.testing.ObservedRoles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RoleAttributesTest {

    private static RoleAttributes observed(RoleFlag... on) {
        return ObservedRoles.withFlags(on);
    }

    private static RoleAttributes spec(String... words) {
        return RoleAttributes.fromSpec(List.of(words));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differences")
    void missingReportsOnlyFlagsThatWereAskedForAndDiffer(String behaviour, RoleAttributes current,
                                                          RoleAttributes wanted, String expectedKeywords) {
        RoleAttributes diff = current.missing(wanted);
        assertEquals(expectedKeywords.isEmpty(), diff.isEmpty(), () -> "diff " + diff.flags());
        if (expectedKeywords.isEmpty()) {
            assertEquals(Map.of(), diff.flags());
        } else {
            assertEquals(expectedKeywords, diff.keywords());
        }
    }

    static Stream<Arguments> differences() {
        return Stream.of(
                arguments("nothing asked, nothing missing", observed(RoleFlag.SUPERUSER), spec(), ""),
                arguments("LOGIN asked and present", observed(RoleFlag.LOGIN, RoleFlag.INHERIT), spec("LOGIN"), ""),
                arguments("LOGIN asked and absent", observed(RoleFlag.INHERIT), spec("LOGIN"), "LOGIN"),
                arguments("a flag the spec never mentions is left alone",
                        observed(RoleFlag.LOGIN, RoleFlag.SUPERUSER, RoleFlag.BYPASSRLS), spec("LOGIN", "CREATEDB"),
                        "CREATEDB"),
                arguments("a NO flag is asked for when the role has the flag",
                        observed(RoleFlag.LOGIN, RoleFlag.SUPERUSER), spec("NOSUPERUSER"), "NOSUPERUSER"),
                arguments("a NO flag is satisfied when the role lacks the flag",
                        observed(RoleFlag.LOGIN), spec("NOCREATEROLE", "nologin"), "NOLOGIN"),
                arguments("several differences come in enum order",
                        observed(RoleFlag.INHERIT), spec("replication", "LOGIN", "createdb", "NOINHERIT"),
                        "CREATEDB LOGIN REPLICATION NOINHERIT"),
                arguments("a flag missing from a partial observation counts as off",
                        new RoleAttributes(Map.of()), spec("INHERIT", "NOLOGIN"), "INHERIT"),
                arguments("everything matches", observed(RoleFlag.LOGIN, RoleFlag.REPLICATION),
                        spec("LOGIN", "REPLICATION", "NOSUPERUSER"), ""));
    }

    @Test
    void missingKeepsTheWantedValueNotTheObservedOne() {
        RoleAttributes diff = observed(RoleFlag.CREATEDB).missing(spec("NOCREATEDB", "LOGIN"));
        assertEquals(Map.of(RoleFlag.CREATEDB, false, RoleFlag.LOGIN, true), diff.flags());
    }

    @Test
    void fromSpecIgnoresCaseAndSpacesAndSkipsUnknownWords() {
        assertEquals(Map.of(RoleFlag.LOGIN, true, RoleFlag.CREATEDB, false, RoleFlag.BYPASSRLS, true),
                spec(" login ", "NoCreateDB", "bypassrls", "SUPERDUPER", "drop table t").flags());
    }

    @Test
    void fromSpecLetsTheLastOfTwoContradictoryWordsWin() {
        assertEquals(Map.of(RoleFlag.LOGIN, false), spec("LOGIN", "NOLOGIN").flags());
    }

    @Test
    void keywordsAreInTheSameOrderWhateverTheInputOrder() {
        assertEquals("SUPERUSER CREATEDB CREATEROLE LOGIN REPLICATION BYPASSRLS INHERIT",
                spec("inherit", "bypassrls", "replication", "login", "createrole", "createdb", "superuser").keywords());
        assertEquals("NOSUPERUSER NOLOGIN", spec("nologin", "nosuperuser").toString());
    }

    @Test
    void emptyAttributesHaveNoKeywords() {
        assertEquals("", new RoleAttributes(Map.of()).keywords());
        assertEquals("", spec().toString());
        assertEquals("", observed(RoleFlag.LOGIN).missing(spec("LOGIN")).keywords());
    }

    @Test
    void isEmptyOnlyWithoutFlags() {
        assertTrue(new RoleAttributes(Map.of()).isEmpty());
        assertFalse(spec("NOLOGIN").isEmpty());
    }

    @Test
    void isImmutableAndEqualByValue() {
        var source = new EnumMap<RoleFlag, Boolean>(RoleFlag.class);
        source.put(RoleFlag.LOGIN, true);
        var attributes = new RoleAttributes(source);
        source.put(RoleFlag.SUPERUSER, true);
        assertEquals(Map.of(RoleFlag.LOGIN, true), attributes.flags(), "changing the source changed the record");
        assertThrows(UnsupportedOperationException.class, () -> attributes.flags().put(RoleFlag.CREATEDB, true));
        assertEquals(spec("LOGIN"), attributes);
    }

    @Test
    void flagKeywordsAndColumns() {
        assertEquals("NOBYPASSRLS", RoleFlag.BYPASSRLS.keyword(false));
        assertEquals("rolcanlogin", RoleFlag.LOGIN.column());
        assertTrue(RoleFlag.parse("NOTHING").isEmpty());
        assertEquals(new RoleFlag.Setting(RoleFlag.INHERIT, false), RoleFlag.parse("noinherit").orElseThrow());
    }
}
