package dev.scimonboard;

/**
 * Formats log lines as a message followed by {@code key=value} pairs, so that every line about an onboarding can
 * be found by its account id, correlation id or step.
 */
public final class Logs {
    private Logs() {
    }

    /**
     * A log line: the message, then each key and value. Values with spaces or quotes are quoted.
     *
     * @param message what happened and what happens next
     * @param keyValues alternating keys and values; a null value is written as {@code -}
     * @return the formatted line
     */
    public static String line(String message, Object... keyValues) {
        StringBuilder out = new StringBuilder(message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            out.append(' ').append(keyValues[i]).append('=').append(quoted(keyValues[i + 1]));
        }
        return out.toString();
    }

    private static String quoted(Object value) {
        if (value == null) {
            return "-";
        }
        String text = value.toString().replace('\n', ' ').replace('\r', ' ');
        if (text.isEmpty() || text.indexOf(' ') >= 0 || text.indexOf('"') >= 0 || text.indexOf('=') >= 0) {
            return '"' + text.replace("\"", "\\\"") + '"';
        }
        return text;
    }
}
