package dev.pgo.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlQuoteTest {

    @ParameterizedTest(name = "identifier [{0}] is quoted as [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            app                    | "app"
            App                    | "App"
            my"role                | "my""role"
            x"; drop table t; --   | "x""; drop table t; --"
            o'brien                | "o'brien"
            back\\slash            | "back\\slash"
            grüße                  | "grüße"
            ``                     | ""
            """)
    void quotesIdentifiersDoublingEmbeddedDoubleQuotes(String name, String quoted) {
        assertEquals(quoted, SqlQuote.identifier(name));
    }

    @ParameterizedTest(name = "literal [{0}] is quoted as [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            db_1                    | 'db_1'
            it's                    | 'it''s'
            ''                      | ''''''
            x'); drop table t; --   | 'x''); drop table t; --'
            a\\b                    | 'a\\b'
            say "hi"                | 'say "hi"'
            ``                      | ''
            """)
    void quotesLiteralsDoublingSingleQuotesAndKeepingBackslashes(String value, String quoted) {
        assertEquals(quoted, SqlQuote.literal(value));
    }

    @Test
    void quotesAnIdentifierMadeOfQuotes() {
        assertEquals("\"\"\"\"\"\"", SqlQuote.identifier("\"\""));
        assertEquals("''''''", SqlQuote.literal("''"));
    }

    @Test
    void aQuotedIdentifierHasNoUnpairedQuoteInside() {
        String quoted = SqlQuote.identifier("x\"; drop table t; --");
        String inner = quoted.substring(1, quoted.length() - 1);
        assertEquals("", inner.replace("\"\"", "").replaceAll("[^\"]", ""), "a lone quote would end the identifier");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\0", "abc\0", "\0abc", "a\0b"})
    void refusesAnIdentifierContainingNul(String name) {
        var e = assertThrows(IllegalArgumentException.class, () -> SqlQuote.identifier(name));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\0", "abc\0", "a\0'b"})
    void refusesALiteralContainingNul(String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> SqlQuote.literal(value));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    @Test
    void aDoBlockTagNeverOccursInItsBody() {
        assertEquals("DO $pgo$BEGIN END$pgo$", SqlQuote.doBlock("BEGIN END"));
        String body = "BEGIN PERFORM " + SqlQuote.literal("$pgo$; DROP TABLE t; $pgo1$") + "; END";
        String block = SqlQuote.doBlock(body);
        assertEquals("DO $pgo2$" + body + "$pgo2$", block, "a role named with the tag cannot end the block");
    }
}
