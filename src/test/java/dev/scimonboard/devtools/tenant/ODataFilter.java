package dev.scimonboard.devtools.tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The part of OData $filter that directory lookups use: {@code prop eq 'literal'}, {@code prop ne 'literal'},
 * {@code startswith(prop,'literal')}, joined with {@code and} / {@code or}, grouped with parentheses. String
 * literals follow OData: single quotes, a quote inside doubled. Comparisons ignore case, as the directory does.
 */
final class ODataFilter {

    /** A filter the emulator cannot or Graph would not evaluate; the message says what and where. */
    static final class UnsupportedFilterException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean unknownProperty;

        UnsupportedFilterException(String message, boolean unknownProperty) {
            super(message);
            this.unknownProperty = unknownProperty;
        }
    }

    private final List<String> tokens;
    private final Set<String> filterableProperties;
    private int position;

    private ODataFilter(List<String> tokens, Set<String> filterableProperties) {
        this.tokens = tokens;
        this.filterableProperties = filterableProperties;
    }

    /**
     * Parses a $filter expression into a predicate over an object's properties, which are keyed in lower case.
     *
     * @throws UnsupportedFilterException when the expression is malformed or names another property
     */
    static Predicate<Map<String, String>> parse(String expression, Set<String> filterableProperties) {
        ODataFilter parser = new ODataFilter(tokenize(expression), filterableProperties);
        Predicate<Map<String, String>> predicate = parser.orExpression();
        if (parser.position != parser.tokens.size()) {
            throw new UnsupportedFilterException("Invalid filter clause: unexpected '" + parser.peek() + "'.", false);
        }
        return predicate;
    }

    private Predicate<Map<String, String>> orExpression() {
        Predicate<Map<String, String>> left = andExpression();
        while ("or".equalsIgnoreCase(peek())) {
            position++;
            left = left.or(andExpression());
        }
        return left;
    }

    private Predicate<Map<String, String>> andExpression() {
        Predicate<Map<String, String>> left = term();
        while ("and".equalsIgnoreCase(peek())) {
            position++;
            left = left.and(term());
        }
        return left;
    }

    private Predicate<Map<String, String>> term() {
        String token = next();
        if ("(".equals(token)) {
            Predicate<Map<String, String>> inner = orExpression();
            expect(")");
            return inner;
        }
        if ("startswith".equalsIgnoreCase(token)) {
            expect("(");
            String property = property(next());
            expect(",");
            String prefix = literal(next());
            expect(")");
            String lowerPrefix = prefix == null ? null : prefix.toLowerCase(Locale.ROOT);
            return object -> {
                String value = object.get(property);
                return value != null && lowerPrefix != null && value.toLowerCase(Locale.ROOT).startsWith(lowerPrefix);
            };
        }
        String property = property(token);
        String operator = next();
        String expected = literal(next());
        if ("eq".equalsIgnoreCase(operator)) {
            return object -> equalsIgnoreCase(object.get(property), expected);
        }
        if ("ne".equalsIgnoreCase(operator)) {
            return object -> !equalsIgnoreCase(object.get(property), expected);
        }
        throw new UnsupportedFilterException("Invalid filter clause: operator '" + operator + "' is not supported.",
                false);
    }

    private String property(String token) {
        if (token == null || !Character.isLetter(token.charAt(0))) {
            throw new UnsupportedFilterException("Invalid filter clause: expected a property name.", false);
        }
        String lower = token.toLowerCase(Locale.ROOT);
        if (!filterableProperties.contains(lower)) {
            throw new UnsupportedFilterException(token, true);
        }
        return lower;
    }

    private static String literal(String token) {
        if (token == null) {
            throw new UnsupportedFilterException("Invalid filter clause: expected a literal.", false);
        }
        if (token.startsWith("'")) {
            return token.substring(1, token.length() - 1).replace("''", "'");
        }
        if ("null".equals(token)) {
            return null;
        }
        // Unquoted literals (GUIDs, booleans, numbers) compare by their text.
        if (token.matches("[A-Za-z0-9.-]+")) {
            return token;
        }
        throw new UnsupportedFilterException("Invalid filter clause: '" + token + "' is not a literal.", false);
    }

    private static boolean equalsIgnoreCase(String actual, String expected) {
        return actual == null ? expected == null : actual.equalsIgnoreCase(expected);
    }

    private void expect(String expected) {
        String token = next();
        if (!expected.equals(token)) {
            throw new UnsupportedFilterException("Invalid filter clause: expected '" + expected + "' but found '"
                    + token + "'.", false);
        }
    }

    private String peek() {
        return position < tokens.size() ? tokens.get(position) : null;
    }

    private String next() {
        return position < tokens.size() ? tokens.get(position++) : null;
    }

    private static List<String> tokenize(String expression) {
        List<String> result = new ArrayList<>();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                result.add(String.valueOf(c));
                i++;
            } else if (c == '\'') {
                // A string literal runs to the next single quote that is not doubled.
                StringBuilder literal = new StringBuilder("'");
                i++;
                boolean closed = false;
                while (i < expression.length()) {
                    char d = expression.charAt(i);
                    if (d == '\'') {
                        if (i + 1 < expression.length() && expression.charAt(i + 1) == '\'') {
                            literal.append("''");
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    literal.append(d);
                    i++;
                }
                if (!closed) {
                    throw new UnsupportedFilterException("Invalid filter clause: unterminated string literal.", false);
                }
                result.add(literal.append('\'').toString());
            } else {
                int start = i;
                while (i < expression.length() && !Character.isWhitespace(expression.charAt(i))
                        && "(),'".indexOf(expression.charAt(i)) < 0) {
                    i++;
                }
                result.add(expression.substring(start, i));
            }
        }
        return result;
    }
}
