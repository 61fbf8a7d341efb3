package dev.scimonboard.devtools.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP trigger's route template such as {@code onboardings/{accountId}}, matched the way ASP.NET routing in the
 * Functions host matches it: literal text without regard to case, {@code {name}} one path segment,
 * {@code {name?}} an optional last segment, {@code {*name}} the rest of the path. Constraints such as
 * {@code {id:int}} are accepted but not checked: a request the constraint would refuse reaches the function.
 */
public final class RouteTemplate {

    private final String template;
    private final Pattern pattern;
    private final List<String> parameterNames;
    private final int literalLength;

    private RouteTemplate(String template, Pattern pattern, List<String> parameterNames, int literalLength) {
        this.template = template;
        this.pattern = pattern;
        this.parameterNames = List.copyOf(parameterNames);
        this.literalLength = literalLength;
    }

    /**
     * Compiles a template.
     *
     * @param template the route below the route prefix, without leading or trailing slash
     * @return the compiled template
     * @throws AppDefinitionException when a brace is not closed
     */
    public static RouteTemplate parse(String template) {
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        int literalLength = 0;
        String[] segments = template.isEmpty() ? new String[0] : template.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            String separator = i == 0 ? "" : "/";
            String whole = wholeSegmentParameter(segment);
            if (whole != null && (whole.startsWith("*") || whole.endsWith("?") || whole.contains("="))) {
                // An optional or catch-all segment takes its slash with it, so "a/{b?}" matches "a" as well.
                names.add(parameterName(whole));
                String value = whole.startsWith("*") ? "(.*)" : "([^/]+)";
                regex.append("(?:").append(separator).append(value).append(")?");
                continue;
            }
            regex.append(Pattern.quote(separator));
            literalLength += separator.length();
            literalLength += appendSegment(template, segment, regex, names);
        }
        Pattern pattern = Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return new RouteTemplate(template, pattern, names, literalLength);
    }

    /**
     * Matches a request path.
     *
     * @param path the decoded path below the route prefix, without leading or trailing slash
     * @return the route parameters by name (an optional parameter that is absent is left out), or empty when the
     *     path does not match
     */
    public Optional<Map<String, String>> match(String path) {
        Matcher matcher = pattern.matcher(path);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parameterNames.size(); i++) {
            String value = matcher.group(i + 1);
            if (value != null && !value.isEmpty()) {
                values.put(parameterNames.get(i), value);
            }
        }
        return Optional.of(values);
    }

    /**
     * Tells how specific the template is, so that {@code onboardings/search} wins over {@code onboardings/{id}}.
     *
     * @return the number of literal characters in the template
     */
    public int literalLength() {
        return literalLength;
    }

    /**
     * The template as written.
     *
     * @return the template text
     */
    public String template() {
        return template;
    }

    @Override
    public String toString() {
        return template;
    }

    /** The brace content when the segment is exactly one parameter, else null. */
    private static String wholeSegmentParameter(String segment) {
        if (segment.startsWith("{") && segment.endsWith("}") && closingBrace(segment, 0) == segment.length() - 1) {
            return segment.substring(1, segment.length() - 1);
        }
        return null;
    }

    /** Appends a segment of literal text and parameters; returns the number of literal characters. */
    private static int appendSegment(String template, String segment, StringBuilder regex, List<String> names) {
        int literal = 0;
        int position = 0;
        while (position < segment.length()) {
            int open = segment.indexOf('{', position);
            if (open < 0) {
                regex.append(Pattern.quote(segment.substring(position)));
                literal += segment.length() - position;
                break;
            }
            if (open > position) {
                regex.append(Pattern.quote(segment.substring(position, open)));
                literal += open - position;
            }
            int close = closingBrace(segment, open);
            if (close < 0) {
                throw new AppDefinitionException("route template '" + template + "' has an unclosed '{'");
            }
            names.add(parameterName(segment.substring(open + 1, close)));
            regex.append("([^/]+?)");
            position = close + 1;
        }
        return literal;
    }

    /** The index of the brace closing the one at {@code open}; constraints may nest braces, as in regex(\d{3}). */
    private static int closingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The name inside braces without the catch-all star, optional mark, default value or constraints. */
    private static String parameterName(String inside) {
        String name = inside.startsWith("*") ? inside.substring(1) : inside;
        for (char stop : new char[] {':', '=', '?'}) {
            int index = name.indexOf(stop);
            if (index >= 0) {
                name = name.substring(0, index);
            }
        }
        return name.trim();
    }
}
