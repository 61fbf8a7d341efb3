package dev.scimonboard.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.scimonboard.api.Problem.FieldError;
import dev.scimonboard.callback.CallbackHosts;
import dev.scimonboard.callback.CallbackUrl;
import dev.scimonboard.keyvault.SecretReference;
import dev.scimonboard.status.DesiredState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates onboarding requests strictly: the account id, and the PUT body's fields, types and sizes. Every
 * problem found is reported at once, each with where it is and what is allowed.
 */
public final class OnboardingRequests {
    /** The largest body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 32 * 1024;
    /** The most groups, and separately users, one request may assign. */
    public static final int MAX_PRINCIPALS = 100;
    /** The longest display name accepted. */
    public static final int MAX_DISPLAY_NAME = 200;
    /** The longest reference accepted. */
    public static final int MAX_REFERENCE = 128;
    /** The longest Key Vault secret identifier accepted. */
    public static final int MAX_SECRET_IDENTIFIER = 400;
    /** The longest callback URL accepted. */
    public static final int MAX_CALLBACK_URL = 2048;

    private static final char REPLACEMENT_CHARACTER = '\uFFFD';
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern OBJECT_ID = Pattern.compile(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> FIELDS = Set.of("displayName", "groups", "users", "startProvisioning",
        "reference", "scimTokenSecret", "prune", "callbackUrl");
    /** The strict reader of request bodies and onboarding events: no duplicate keys, no trailing tokens. */
    static final ObjectMapper JSON = JsonMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private OnboardingRequests() {
    }

    /**
     * Checks an account id from the URL.
     *
     * @param accountId the id as given
     * @throws InvalidRequest when it is not 32 lower-case hexadecimal characters
     */
    static void checkAccountId(String accountId) throws InvalidRequest {
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            String shown = accountId == null ? "nothing" : "'" + printable(accountId, 40) + "'";
            String hint = accountId != null && ACCOUNT_ID.matcher(accountId.toLowerCase(Locale.ROOT)).matches()
                ? " Write it in lower case." : "";
            throw new InvalidRequest(Problem.invalidAccountId("The account id must be a Cloudflare account id: 32 "
                + "lower-case hexadecimal characters, as in the dashboard's URL; got " + shown + "." + hint));
        }
    }

    /**
     * Reads and validates a PUT body.
     *
     * @param body the body, possibly empty (every field is optional)
     * @return the desired state
     * @throws InvalidRequest when anything is wrong, with every problem found
     */
    static DesiredState parse(String body) throws InvalidRequest {
        return parse(body, Set.of());
    }

    /**
     * Reads and validates a PUT body that may name a Key Vault secret for the SCIM token.
     *
     * @param body the body, possibly empty (every field is optional)
     * @param keyVaults the vaults a request may name, as {@link SecretReference#vaultRoot} gives them
     * @return the desired state
     * @throws InvalidRequest when anything is wrong, with every problem found
     */
    static DesiredState parse(String body, Set<String> keyVaults) throws InvalidRequest {
        return parse(body, keyVaults, CallbackHosts.NONE);
    }

    /**
     * Reads and validates a PUT body that may name a Key Vault secret for the SCIM token and a callback URL.
     *
     * @param body the body, possibly empty (every field is optional)
     * @param keyVaults the vaults a request may name, as {@link SecretReference#vaultRoot} gives them
     * @param callbackHosts the hosts a callback URL may name
     * @return the desired state
     * @throws InvalidRequest when anything is wrong, with every problem found
     */
    static DesiredState parse(String body, Set<String> keyVaults, CallbackHosts callbackHosts)
        throws InvalidRequest {
        if (body == null || body.isBlank()) {
            return new DesiredState(null, List.of(), List.of(), true, null, null, false, null);
        }
        return desiredState(readObject(body, MAX_BODY_BYTES, "Send at most " + MAX_PRINCIPALS + " groups and "
            + MAX_PRINCIPALS + " users per request.", "{\"groups\":[\"<object id>\"]}"), keyVaults, callbackHosts);
    }

    /**
     * Reads a body that must be one JSON object of at most {@code maxBytes}.
     *
     * @param body the body
     * @param maxBytes the largest size accepted
     * @param sizeHint what to do when the body is too large
     * @param example an example of the object expected, for the error
     * @return the object
     * @throws InvalidRequest when the body is too large, not JSON, or not an object
     */
    static JsonNode readObject(String body, int maxBytes, String sizeHint, String example) throws InvalidRequest {
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new InvalidRequest(Problem.invalid("The body is " + size + " bytes; the most accepted is "
                + maxBytes + ". " + sizeHint, List.of()));
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // A limit of the parser (nesting depth, number length) is reported without a location.
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
            throw new InvalidRequest(Problem.invalid("The body is not valid JSON: " + e.getOriginalMessage() + where
                + ".", List.of()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequest(Problem.invalid("The body must be a JSON object such as " + example + ", not "
                + kind(root) + ".", List.of()));
        }
        return root;
    }

    /**
     * Validates the fields of a request already read as JSON: a PUT body, or an onboarding event's data turned
     * into one.
     *
     * @param root the JSON object
     * @return the desired state
     * @throws InvalidRequest when anything is wrong, with every problem found
     */
    static DesiredState desiredState(JsonNode root) throws InvalidRequest {
        return desiredState(root, Set.of());
    }

    /**
     * Validates the fields of a request already read as JSON, which may name a Key Vault secret for the SCIM token.
     *
     * @param root the JSON object
     * @param keyVaults the vaults a request may name, as {@link SecretReference#vaultRoot} gives them
     * @return the desired state
     * @throws InvalidRequest when anything is wrong, with every problem found
     */
    static DesiredState desiredState(JsonNode root, Set<String> keyVaults) throws InvalidRequest {
        return desiredState(root, keyVaults, CallbackHosts.NONE);
    }

    /**
     * Validates the fields of a request already read as JSON, which may name a Key Vault secret for the SCIM token
     * and a callback URL.
     *
     * @param root the JSON object
     * @param keyVaults the vaults a request may name, as {@link SecretReference#vaultRoot} gives them
     * @param callbackHosts the hosts a callback URL may name
     * @return the desired state
     * @throws InvalidRequest when anything is wrong, with every problem found
     */
    static DesiredState desiredState(JsonNode root, Set<String> keyVaults, CallbackHosts callbackHosts)
        throws InvalidRequest {
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError("/" + printable(name, 40), "unknown field; the fields are displayName, "
                    + "groups, users, startProvisioning, reference, scimTokenSecret, prune and callbackUrl"));
            }
        }
        String displayName = text(root, "displayName", MAX_DISPLAY_NAME, errors);
        String reference = text(root, "reference", MAX_REFERENCE, errors);
        List<String> groups = objectIds(root, "groups", errors);
        List<String> users = objectIds(root, "users", errors);
        boolean start = flag(root, "startProvisioning", true, errors);
        boolean prune = flag(root, "prune", false, errors);
        String secret = text(root, "scimTokenSecret", MAX_SECRET_IDENTIFIER, errors);
        if (secret != null) {
            try {
                secret = SecretReference.parse(secret, keyVaults).identifier();
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("/scimTokenSecret", e.getMessage()));
                secret = null;
            }
        }
        String callbackUrl = text(root, "callbackUrl", MAX_CALLBACK_URL, errors);
        if (callbackUrl != null) {
            try {
                callbackUrl = CallbackUrl.parse(callbackUrl, callbackHosts).url();
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("/callbackUrl", e.getMessage()));
                callbackUrl = null;
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest(Problem.invalid("The body has " + errors.size() + " invalid field"
                + (errors.size() == 1 ? "" : "s") + "; see errors.", errors));
        }
        return new DesiredState(displayName, groups, users, start, reference, secret, prune, callbackUrl);
    }

    private static boolean flag(JsonNode root, String field, boolean absent, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null) {
            return absent;
        }
        if (!node.isBoolean()) {
            errors.add(new FieldError("/" + field, "must be true or false, not " + kind(node)));
            return absent;
        }
        return node.booleanValue();
    }

    private static String text(JsonNode root, String field, int maxLength, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        String pointer = "/" + field;
        if (!node.isTextual()) {
            errors.add(new FieldError(pointer, "must be a string, not " + kind(node)));
            return null;
        }
        String value = node.textValue().strip();
        if (value.isEmpty()) {
            errors.add(new FieldError(pointer, "must not be empty; leave the field out instead"));
            return null;
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            errors.add(new FieldError(pointer, "must be at most " + maxLength + " characters"));
            return null;
        }
        if (value.indexOf(REPLACEMENT_CHARACTER) >= 0) {
            // The host decodes the body as UTF-8 and puts U+FFFD where bytes were not UTF-8.
            errors.add(new FieldError(pointer, "must be UTF-8 text; found U+FFFD, which stands for bytes that "
                + "are not UTF-8"));
            return null;
        }
        int bad = value.codePoints().filter(OnboardingRequests::invisible).findFirst().orElse(-1);
        if (bad >= 0) {
            errors.add(new FieldError(pointer, String.format("must not contain control or formatting characters "
                + "(such as line breaks or right-to-left marks); found U+%04X", bad)));
            return null;
        }
        return value;
    }

    private static List<String> objectIds(JsonNode root, String field, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        String pointer = "/" + field;
        if (!node.isArray()) {
            errors.add(new FieldError(pointer, "must be an array of Entra object ids, not " + kind(node)));
            return List.of();
        }
        if (node.size() > MAX_PRINCIPALS) {
            errors.add(new FieldError(pointer, "has " + node.size() + " entries; at most " + MAX_PRINCIPALS
                + " are accepted per request"));
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual() || !OBJECT_ID.matcher(item.textValue()).matches()) {
                errors.add(new FieldError(pointer + "/" + i, "must be an Entra object id (a GUID such as "
                    + "00000000-0000-0000-0000-000000000000), not " + describe(item)));
                continue;
            }
            ids.add(item.textValue().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(ids);
    }

    /** Control characters and invisible formatting characters, including the bidirectional overrides. */
    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
            || type == Character.PARAGRAPH_SEPARATOR || type == Character.PRIVATE_USE
            || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    private static String describe(JsonNode node) {
        return node.isTextual() ? "'" + printable(node.textValue(), 40) + "'" : kind(node);
    }

    /** What kind of JSON value a node is, for error messages: "a string", "an array", "null". */
    static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** Text safe to echo in an error: invisible characters escaped, and cut to a length. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(max).forEach(cp -> {
            if (invisible(cp) || cp == '"' || cp == '\\') {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        if (text.codePointCount(0, text.length()) > max) {
            out.append("...");
        }
        return out.toString();
    }
}
