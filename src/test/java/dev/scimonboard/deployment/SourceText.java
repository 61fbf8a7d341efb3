package dev.scimonboard.deployment;

/** Source text without its comments, for scanning Java and Bicep files with regular expressions. */
final class SourceText {
    private SourceText() {
    }

    /**
     * The text with {@code //} and {@code /* *\/} comments replaced by blanks (line breaks kept), leaving string
     * and character literals as they are, so that a quote or a name inside a comment cannot be mistaken for code.
     *
     * @param text Java or Bicep source
     * @param quotes the characters that open and close a literal ({@code "} and {@code '} for Java, {@code '} for
     *     Bicep); a backslash escapes the next character inside one
     * @return the text, comments blanked
     */
    static String withoutComments(String text, char... quotes) {
        StringBuilder out = new StringBuilder(text.length());
        char openQuote = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (openQuote != 0) {
                out.append(c);
                if (c == '\\' && next != 0) {
                    out.append(next);
                    i += 2;
                    continue;
                }
                if (c == openQuote || c == '\n') {
                    openQuote = 0;
                }
                i++;
            } else if (c == '/' && next == '/') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && next == '*') {
                int end = text.indexOf("*/", i + 2);
                int stop = end < 0 ? text.length() : end + 2;
                for (int j = i; j < stop; j++) {
                    out.append(text.charAt(j) == '\n' ? '\n' : ' ');
                }
                i = stop;
            } else {
                if (isQuote(c, quotes)) {
                    openQuote = c;
                }
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * The text between the bracket at {@code open} and its matching closing bracket, skipping brackets inside
     * single-quoted literals; the text must have no comments.
     *
     * @param text the text
     * @param open index of an opening {@code [}, {@code (} or {@code {}
     * @return what lies between the brackets
     * @throws IllegalArgumentException when the bracket is never closed
     */
    static String bracketed(String text, int open) {
        char opening = text.charAt(open);
        char closing = opening == '[' ? ']' : opening == '(' ? ')' : '}';
        int depth = 0;
        boolean inLiteral = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inLiteral) {
                if (c == '\\') {
                    i++;
                } else if (c == '\'') {
                    inLiteral = false;
                }
            } else if (c == '\'') {
                inLiteral = true;
            } else if (c == opening) {
                depth++;
            } else if (c == closing && --depth == 0) {
                return text.substring(open + 1, i);
            }
        }
        throw new IllegalArgumentException("no closing " + closing + " for the one at offset " + open);
    }

    private static boolean isQuote(char c, char[] quotes) {
        for (char quote : quotes) {
            if (c == quote) {
                return true;
            }
        }
        return false;
    }
}
