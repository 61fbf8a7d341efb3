package dev.scimonboard.callback;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts that outcome callbacks may go to, from the app setting {@value #SETTING}: comma-separated exact host
 * names, and {@code *.suffix} wildcards that match any host below the suffix (not the suffix itself). An IP address
 * or {@code localhost} is only allowed when listed exactly; a wildcard never matches one. Empty: callbacks are not
 * accepted.
 */
public final class CallbackHosts {
    /** The app setting that lists the hosts. */
    public static final String SETTING = "CALLBACK_ALLOWED_HOSTS";
    /** No host allowed: requests may not ask for callbacks. */
    public static final CallbackHosts NONE = new CallbackHosts(Set.of(), List.of());

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+\\]");

    private final Set<String> exact;
    private final List<String> suffixes;

    private CallbackHosts(Set<String> exact, List<String> suffixes) {
        this.exact = Set.copyOf(exact);
        this.suffixes = List.copyOf(suffixes);
    }

    /**
     * Reads the setting's value.
     *
     * @param setting such as {@code hooks.example.com, *.service-now.com}; null or blank for none
     * @return the allowed hosts
     * @throws IllegalArgumentException naming the entry, when one is not a host name or a {@code *.suffix} wildcard
     */
    public static CallbackHosts parse(String setting) {
        Set<String> exact = new LinkedHashSet<>();
        List<String> suffixes = new ArrayList<>();
        for (String item : (setting == null ? "" : setting).split(",")) {
            String entry = item.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.startsWith("*.")) {
                String suffix = entry.substring(2);
                if (!isDnsName(suffix) || suffix.indexOf('.') < 0) {
                    throw new IllegalArgumentException("The app setting " + SETTING + " has the wildcard '" + entry
                        + "'; a wildcard is '*.' followed by a domain of at least two labels, such as "
                        + "*.service-now.com.");
                }
                suffixes.add("." + suffix);
            } else if (isDnsName(entry) || IPV4.matcher(entry).matches() || IPV6.matcher(entry).matches()) {
                exact.add(entry);
            } else {
                throw new IllegalArgumentException("The app setting " + SETTING + " has the entry '" + entry
                    + "', which is neither a host name (such as hooks.example.com), an IP address written as in a "
                    + "URL, nor a wildcard such as *.example.com.");
            }
        }
        return exact.isEmpty() && suffixes.isEmpty() ? NONE : new CallbackHosts(exact, suffixes);
    }

    /** Whether no host is allowed, so that requests may not ask for callbacks. */
    public boolean isEmpty() {
        return exact.isEmpty() && suffixes.isEmpty();
    }

    /**
     * Whether a host is listed exactly, as an IP address or {@code localhost} must be.
     *
     * @param host a host in lower case, as a URL names it
     * @return whether it is listed
     */
    public boolean listsExactly(String host) {
        return exact.contains(host);
    }

    /**
     * Whether a host name may be called back: listed exactly, or below a wildcard's suffix. IP addresses and
     * {@code localhost} only match an exact entry.
     *
     * @param host a host in lower case, as a URL names it
     * @return whether it is allowed
     */
    public boolean allows(String host) {
        if (exact.contains(host)) {
            return true;
        }
        if (isAddressLiteral(host) || isLocalhost(host)) {
            return false;
        }
        return suffixes.stream().anyMatch(host::endsWith);
    }

    /** The entries, as an operator wrote them, for error messages. */
    public String describe() {
        List<String> entries = new ArrayList<>(exact);
        suffixes.forEach(suffix -> entries.add("*" + suffix));
        return String.join(", ", entries);
    }

    /**
     * Whether a URL's host is an IP address rather than a name: an IPv6 literal in brackets, or a host whose last
     * label starts with a digit, which covers dotted IPv4 and the numeric forms a resolver also takes for an address
     * ({@code 2130706433}, {@code 0x7f.1}); no top-level domain starts with a digit.
     *
     * @param host a host in lower case
     * @return whether it is an address
     */
    public static boolean isAddressLiteral(String host) {
        if (host.startsWith("[")) {
            return true;
        }
        String last = host.substring(host.lastIndexOf('.') + 1);
        return !last.isEmpty() && Character.isDigit(last.charAt(0));
    }

    /**
     * Whether a host is {@code localhost} or a name below it, which resolve to this machine.
     *
     * @param host a host in lower case
     * @return whether it is local
     */
    public static boolean isLocalhost(String host) {
        return host.equals("localhost") || host.endsWith(".localhost");
    }

    private static boolean isDnsName(String name) {
        if (name.length() > 253 || name.isEmpty()) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !isAddressLiteral(name);
    }
}
