package dev.scimonboard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.api.Problem.FieldError;
import dev.scimonboard.status.DesiredState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads onboarding events as Event Grid writes them to a storage queue, in the Event Grid schema or as CloudEvents
 * 1.0: one event object per message, or an array of them. Each event's {@code data} is validated exactly as a PUT
 * body, with {@code accountId} added and {@code name} accepted for {@code displayName}. Nothing here touches
 * storage; an event that cannot be used comes back with the reason, for the caller to set aside.
 */
public final class OnboardingEvents {
    /** The only CloudEvents version read. */
    private static final String CLOUD_EVENTS_VERSION = "1.0";
    /** How much of a value from an event a reason quotes. */
    private static final int QUOTED = 40;
    /** The data fields that are a PUT body's, passed on to its validation. */
    private static final Set<String> REQUEST_FIELDS = Set.of("displayName", "groups", "users", "startProvisioning",
        "reference");

    private OnboardingEvents() {
    }

    /** The two envelopes an event may come in. */
    public enum Schema {
        /** Event Grid's own schema: {@code id, eventType, subject, eventTime, data, dataVersion}. */
        EVENT_GRID("EventGridSchema"),
        /** CloudEvents 1.0 in its JSON format: {@code specversion, id, type, source, time, data}. */
        CLOUD_EVENTS("CloudEvents 1.0");

        private final String displayName;

        Schema(String displayName) {
            this.displayName = displayName;
        }

        @Override
        public String toString() {
            return displayName;
        }
    }

    /**
     * An event that asks for an onboarding and whose data validated.
     *
     * @param id the event's id, as the publisher gave it
     * @param schema the envelope it came in
     * @param accountId the Cloudflare account to onboard
     * @param desired the desired state, as a PUT with the same fields would give
     */
    public record OnboardingEvent(String id, Schema schema, String accountId, DesiredState desired)
        implements Outcome {
    }

    /**
     * Something in a message that cannot be used.
     *
     * @param text the JSON text to set aside: the whole message, or the one array entry that was unusable
     * @param id the event's id when one could be read, else null
     * @param reason why, in one short sentence that quotes no more than short values
     */
    public record UnusableEvent(String text, String id, String reason) implements Outcome {
    }

    /** What reading one event gave: an event to act on, or something to set aside. */
    private sealed interface Outcome permits OnboardingEvent, UnusableEvent {
    }

    /**
     * What one queue message held.
     *
     * @param events the events to act on, in message order
     * @param unusable what is to be set aside, in message order
     */
    public record Batch(List<OnboardingEvent> events, List<UnusableEvent> unusable) {
        /** Copies the lists so that the batch cannot change after it is made. */
        public Batch {
            events = List.copyOf(events);
            unusable = List.copyOf(unusable);
        }
    }

    /**
     * Reads one queue message's text, as the host hands it over after decoding base64.
     *
     * @param message the message text
     * @param eventType the event type that asks for an onboarding; events of other types are unusable here
     * @return the usable events and the unusable parts
     */
    public static Batch read(String message, String eventType) {
        if (message == null || message.isBlank()) {
            return unusable(message == null ? "" : message, null, "the message is empty");
        }
        JsonNode root;
        try {
            root = OnboardingRequests.JSON.readTree(message);
        } catch (JsonProcessingException e) {
            return unusable(message, null, "the message is not JSON: " + e.getOriginalMessage());
        }
        if (root != null && root.isObject()) {
            return collect(List.of(one(message, root, eventType, "")));
        }
        if (root != null && root.isArray()) {
            if (root.isEmpty()) {
                return unusable(message, null, "the message is an empty array, which holds no event");
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < root.size(); i++) {
                JsonNode entry = root.get(i);
                String where = "entry " + i + ": ";
                outcomes.add(entry.isObject() ? one(entry.toString(), entry, eventType, where)
                    : new UnusableEvent(entry.toString(), null, where + "is " + OnboardingRequests.kind(entry)
                        + ", not an event object"));
            }
            return collect(outcomes);
        }
        return unusable(message, null, "the message is " + OnboardingRequests.kind(root)
            + ", not an event object or an array of them");
    }

    /** One event object: its envelope, its type, then its data; the first problem found is the reason. */
    private static Outcome one(String text, JsonNode event, String eventType, String where) {
        Schema schema;
        String typeField;
        List<String> required;
        if (event.has("specversion")) {
            schema = Schema.CLOUD_EVENTS;
            typeField = "type";
            required = List.of("id", "source", "type");
        } else if (event.has("eventType")) {
            schema = Schema.EVENT_GRID;
            typeField = "eventType";
            required = List.of("id", "subject", "eventType", "eventTime");
        } else {
            return new UnusableEvent(text, null, where + "neither an Event Grid event (no eventType) nor a "
                + "CloudEvents event (no specversion)");
        }
        String id = nonEmptyText(event.get("id"));
        String printableId = id == null ? null : OnboardingRequests.printable(id, 64);
        for (String field : required) {
            if (nonEmptyText(event.get(field)) == null) {
                return new UnusableEvent(text, printableId, where + schema + " event without " + field
                    + " (a non-empty string)");
            }
        }
        if (schema == Schema.CLOUD_EVENTS) {
            String problem = cloudEventProblem(event);
            if (problem != null) {
                return new UnusableEvent(text, printableId, where + problem);
            }
        }

        String type = event.get(typeField).textValue();
        if (!type.equals(eventType)) {
            return new UnusableEvent(text, printableId, where + "event type '" + OnboardingRequests.printable(type,
                QUOTED) + "' is not the onboarding event type '" + eventType + "' (app setting ONBOARDING_EVENT_TYPE)");
        }

        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            return new UnusableEvent(text, printableId, where + "data must be an object with accountId, not "
                + OnboardingRequests.kind(data));
        }
        JsonNode accountId = data.get("accountId");
        try {
            OnboardingRequests.checkAccountId(accountId != null && accountId.isTextual() ? accountId.textValue()
                : null);
        } catch (InvalidRequest e) {
            return new UnusableEvent(text, printableId, where + "data/accountId must be a Cloudflare account id "
                + "(32 lower-case hexadecimal characters), not " + describe(accountId));
        }
        try {
            return new OnboardingEvent(id, schema, accountId.textValue(), desiredState((ObjectNode) data));
        } catch (InvalidRequest e) {
            return new UnusableEvent(text, printableId, where + reason(e.problem(), data.has("name")));
        }
    }

    /** Where a CloudEvent differs from what Event Grid writes for JSON data, or null when it does not. */
    private static String cloudEventProblem(JsonNode event) {
        JsonNode version = event.get("specversion");
        if (!version.isTextual() || !CLOUD_EVENTS_VERSION.equals(version.textValue())) {
            return "CloudEvents specversion " + describe(version) + " is not supported; only 1.0 is";
        }
        if (event.has("data_base64")) {
            return "CloudEvents data_base64 is not accepted; send data as a JSON object";
        }
        JsonNode contentType = event.get("datacontenttype");
        if (contentType != null && !contentType.isNull()) {
            String type = contentType.isTextual()
                ? contentType.textValue().split(";", 2)[0].trim().toLowerCase(Locale.ROOT) : "";
            if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
                return "CloudEvents datacontenttype " + describe(contentType) + " is not JSON";
            }
        }
        return null;
    }

    /**
     * The desired state the data asks for, validated as a PUT body: the data without {@code accountId}, with
     * {@code name} as {@code displayName}. Unknown fields are refused here, with the data's own field list.
     */
    private static DesiredState desiredState(ObjectNode data) throws InvalidRequest {
        int size = data.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > OnboardingRequests.MAX_BODY_BYTES) {
            throw new InvalidRequest(Problem.invalid("data is " + size + " bytes; the most accepted is "
                + OnboardingRequests.MAX_BODY_BYTES, List.of()));
        }
        List<FieldError> errors = new ArrayList<>();
        ObjectNode request = OnboardingRequests.JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (REQUEST_FIELDS.contains(name)) {
                request.set(name, field.getValue());
            } else if (!name.equals("accountId") && !name.equals("name")) {
                errors.add(new FieldError("/" + OnboardingRequests.printable(name, QUOTED), "unknown field; the "
                    + "data fields are accountId, name, groups, users, startProvisioning and reference"));
            }
        }
        if (data.has("name")) {
            if (data.has("displayName")) {
                errors.add(new FieldError("/name", "give name or displayName, not both"));
            } else {
                request.set("displayName", data.get("name"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest(Problem.invalid("data has invalid fields", errors));
        }
        return OnboardingRequests.desiredState(request);
    }

    /**
     * A problem as one line: each field error with its place in the event, else the problem's detail. The PUT
     * validation names the display name {@code displayName}; when the event gave it as {@code name}, so does this.
     */
    private static String reason(Problem problem, boolean nameGiven) {
        if (problem.errors().isEmpty()) {
            return problem.detail();
        }
        return problem.errors().stream()
            .map(e -> "data" + (nameGiven && e.pointer().equals("/displayName") ? "/name" : e.pointer()) + " "
                + e.detail())
            .collect(Collectors.joining("; "));
    }

    private static String nonEmptyText(JsonNode node) {
        return node != null && node.isTextual() && !node.textValue().isBlank() ? node.textValue() : null;
    }

    private static String describe(JsonNode node) {
        return node != null && node.isTextual() ? "'" + OnboardingRequests.printable(node.textValue(), QUOTED) + "'"
            : OnboardingRequests.kind(node);
    }

    private static Batch unusable(String text, String id, String reason) {
        return new Batch(List.of(), List.of(new UnusableEvent(text, id, reason)));
    }

    private static Batch collect(List<Outcome> outcomes) {
        List<OnboardingEvent> events = new ArrayList<>();
        List<UnusableEvent> unusable = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome instanceof OnboardingEvent event) {
                events.add(event);
            } else if (outcome instanceof UnusableEvent set) {
                unusable.add(set);
            }
        }
        return new Batch(events, unusable);
    }
}
