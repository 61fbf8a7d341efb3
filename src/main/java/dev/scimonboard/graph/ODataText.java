package dev.scimonboard.graph;

/** Writes values into OData query expressions safely. */
final class ODataText {
    private ODataText() {
    }

    /**
     * A string literal for a {@code $filter}: in single quotes, with each single quote doubled, so that a name such
     * as {@code O'Brien or 1 eq 1} stays one value and cannot change the expression.
     *
     * @param value the text
     * @return the literal
     */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
