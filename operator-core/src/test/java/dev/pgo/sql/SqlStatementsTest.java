package dev.pgo.sql;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqlStatementsTest {
    private static final String INJECTION = "x\"; drop table t; --";

    private static RoleAttributes attributes(Map<RoleFlag, Boolean> flags) {
        return new RoleAttributes(new EnumMap<>(flags));
    }

    @Test
    void createsARoleWithItsFlagsInAStableOrder() {
        assertEquals("CREATE ROLE \"app\" CREATEDB LOGIN",
                SqlStatements.createRole("app", RoleAttributes.fromSpec(List.of("login", "createdb"))));
    }

    @Test
    void createsARoleWithoutFlagsWithoutATrailingSpace() {
        assertEquals("CREATE ROLE \"app\"", SqlStatements.createRole("app", new RoleAttributes(Map.of())));
    }

    @Test
    void createsARoleWithNegativeFlags() {
        assertEquals("CREATE ROLE \"ro\" NOLOGIN NOINHERIT",
                SqlStatements.createRole("ro", attributes(Map.of(RoleFlag.LOGIN, false, RoleFlag.INHERIT, false))));
    }

    @Test
    void keepsAnInjectionAttemptInsideTheQuotedRoleName() {
        assertEquals("CREATE ROLE \"x\"\"; drop table t; --\" LOGIN",
                SqlStatements.createRole(INJECTION, attributes(Map.of(RoleFlag.LOGIN, true))));
        assertEquals("ALTER ROLE \"x\"\"; drop table t; --\" NOSUPERUSER",
                SqlStatements.alterRole(INJECTION, attributes(Map.of(RoleFlag.SUPERUSER, false))));
    }

    @Test
    void altersOnlyTheGivenFlags() {
        assertEquals("ALTER ROLE \"app\" CREATEDB NOLOGIN",
                SqlStatements.alterRole("app", attributes(Map.of(RoleFlag.LOGIN, false, RoleFlag.CREATEDB, true))));
    }

    @Test
    void createsADatabaseWithQuotedNameAndOwner() {
        assertEquals("CREATE DATABASE \"app\" OWNER \"app_owner\"", SqlStatements.createDatabase("app", "app_owner"));
        assertEquals("CREATE DATABASE \"a\"\"b\" OWNER \"x\"\"; drop table t; --\"",
                SqlStatements.createDatabase("a\"b", INJECTION));
    }

    @Test
    void changesADatabaseOwner() {
        assertEquals("ALTER DATABASE \"app\" OWNER TO \"reporting\"",
                SqlStatements.alterDatabaseOwner("app", "reporting"));
        assertEquals("ALTER DATABASE \"app\" OWNER TO \"x\"\"; drop table t; --\"",
                SqlStatements.alterDatabaseOwner("app", INJECTION));
    }

    @Test
    void createsAndDropsPhysicalSlotsByLiteralName() {
        assertEquals("SELECT pg_create_physical_replication_slot('orders_1')",
                SqlStatements.createPhysicalSlot("orders_1"));
        assertEquals("SELECT pg_drop_replication_slot('orders_1')", SqlStatements.dropSlot("orders_1"));
        assertEquals("SELECT pg_drop_replication_slot('x''); drop table t; --')",
                SqlStatements.dropSlot("x'); drop table t; --"));
    }

    @Test
    void refusesNamesContainingNul() {
        assertThrows(IllegalArgumentException.class, () -> SqlStatements.createDatabase("a\0b", "app"));
        assertThrows(IllegalArgumentException.class, () -> SqlStatements.createPhysicalSlot("a\0b"));
    }
}
