package dev.scimonboard.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ODataTextTest {
    @Test
    void quotesAreDoubledSoTheValueStaysOneLiteral() {
        assertEquals("'O''Brien'' or 1 eq 1'", ODataText.literal("O'Brien' or 1 eq 1"));
    }

    @Test
    void plainTextIsOnlyQuoted() {
        assertEquals("'Cloudflare SCIM (0123)'", ODataText.literal("Cloudflare SCIM (0123)"));
    }
}
