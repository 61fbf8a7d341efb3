package dev.scimonboard.devtools.tenant;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * How many calls the emulated tenant answered, by service, method, route and status: a snapshot of counters that
 * see every call, unlike the call log, which keeps only the newest 100,000. Subtract an earlier snapshot from a later
 * one to count the calls of a period.
 *
 * <p>Routes are paths with their ids replaced by placeholders and their query reduced to parameter names, so that
 * {@code GET /v1.0/servicePrincipals/{id}?$select} counts every read of a service principal by id.
 */
public final class CallCounts {
    /** Services whose calls an onboarding makes through the app: Graph and Cloudflare. */
    public static final String GRAPH = "graph";
    /** The emulated Cloudflare API. */
    public static final String CLOUDFLARE = "cloudflare";
    /** The emulated managed identity endpoint. */
    public static final String IDENTITY = "identity";

    private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern JOB_ID = Pattern.compile("(?i)scim\\.[0-9a-f]{32}\\.[0-9a-f-]{36}");
    private static final Pattern GUID = Pattern.compile(
            "(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern HEX_SEGMENT = Pattern.compile("(?i)/[0-9a-f]{32}(?=/|$)");
    private static final Pattern QUOTED_KEY = Pattern.compile("(?i)=(?:'|%27)\\{id}(?:'|%27)");

    /**
     * One kind of call.
     *
     * @param service the emulated service that answered (see {@link RecordedCall#service()})
     * @param method the HTTP method
     * @param route the path with ids as placeholders and the query's parameter names only
     * @param status the HTTP status answered
     */
    public record Kind(String service, String method, String route, int status) {
        /** Whether the call is a write, as Graph's write limit counts them: POST, PUT, PATCH or DELETE. */
        public boolean write() {
            return WRITE_METHODS.contains(method);
        }

        /** The method and route, such as {@code POST /v1.0/servicePrincipals/{id}/synchronization/jobs}. */
        public String operation() {
            return method + " " + route;
        }
    }

    private final Map<Kind, Long> counts;

    /**
     * A snapshot holding these counts.
     *
     * @param counts calls by kind; kinds with no calls may be left out
     */
    public CallCounts(Map<Kind, Long> counts) {
        this.counts = Map.copyOf(counts);
    }

    /**
     * The calls counted in this snapshot and not in an earlier one of the same tenant.
     *
     * @param earlier a snapshot taken before this one
     * @return the difference
     */
    public CallCounts minus(CallCounts earlier) {
        Map<Kind, Long> difference = new LinkedHashMap<>();
        counts.forEach((kind, count) -> {
            long calls = count - earlier.counts.getOrDefault(kind, 0L);
            if (calls != 0) {
                difference.put(kind, calls);
            }
        });
        return new CallCounts(difference);
    }

    /**
     * How many calls of the matching kinds there were.
     *
     * @param filter which kinds to count
     * @return the number of calls
     */
    public long count(Predicate<Kind> filter) {
        return counts.entrySet().stream().filter(entry -> filter.test(entry.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * How many calls one service answered.
     *
     * @param service such as {@link #GRAPH}
     * @return the number of calls
     */
    public long calls(String service) {
        return count(kind -> kind.service().equals(service));
    }

    /**
     * How many writes (POST, PUT, PATCH, DELETE) one service answered, whatever the status.
     *
     * @param service such as {@link #GRAPH}
     * @return the number of writes
     */
    public long writes(String service) {
        return count(kind -> kind.service().equals(service) && kind.write());
    }

    /**
     * How many calls of one service were answered with one status.
     *
     * @param service such as {@link #GRAPH}
     * @param status such as 429
     * @return the number of calls
     */
    public long withStatus(String service, int status) {
        return count(kind -> kind.service().equals(service) && kind.status() == status);
    }

    /**
     * The calls by service, sorted by service name.
     *
     * @return the number of calls of each service that answered any
     */
    public Map<String, Long> byService() {
        Map<String, Long> result = new TreeMap<>();
        counts.forEach((kind, count) -> result.merge(kind.service(), count, Long::sum));
        return result;
    }

    /**
     * The calls of one service by operation and status, such as {@code GET /v1.0/servicePrincipals/{id}?$select 200},
     * sorted by operation.
     *
     * @param service such as {@link #GRAPH}
     * @return the counts
     */
    public Map<String, Long> byOperation(String service) {
        Map<String, Long> result = new TreeMap<>();
        counts.forEach((kind, count) -> {
            if (kind.service().equals(service)) {
                result.merge(kind.operation() + " " + kind.status(), count, Long::sum);
            }
        });
        return result;
    }

    /**
     * The route of a call: ids in the path become {@code {id}} (GUIDs and 32-hex ids) or {@code {jobId}}, and the
     * query keeps its parameter names only.
     *
     * @param pathAndQuery the path with its query, as sent
     * @return the route
     */
    public static String route(String pathAndQuery) {
        int question = pathAndQuery.indexOf('?');
        String path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        path = JOB_ID.matcher(path).replaceAll("{jobId}");
        path = GUID.matcher(path).replaceAll("{id}");
        path = HEX_SEGMENT.matcher(path).replaceAll("/{id}");
        path = QUOTED_KEY.matcher(path).replaceAll("={id}");
        if (question < 0) {
            return path;
        }
        StringBuilder names = new StringBuilder();
        for (String parameter : pathAndQuery.substring(question + 1).split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            names.append(names.length() == 0 ? "?" : "&").append(equals < 0 ? parameter
                    : parameter.substring(0, equals));
        }
        return path + names;
    }
}
