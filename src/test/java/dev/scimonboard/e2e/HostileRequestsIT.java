package dev.scimonboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableServiceException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile requests sent over real HTTP to the local host. Each is refused with a 4xx problem document
 * that names what is wrong, and none of them records a status or queues a message.
 *
 * <p>Every case gets a fresh Cloudflare account that the emulated tenant knows, so that a request which slipped
 * through would be able to start an onboarding; the path and the expected mention are written against that id.
 */
class HostileRequestsIT {
    private static final String JSON = "application/json";
    private static final String GROUP = "6f1a0c3e-9d2b-4f7a-8c1e-2b3d4e5f6a7b";
    private static final String USER = "0b7e2f14-5c3a-4d8e-9f60-1a2b3c4d5e6f";
    private static final String ARABIC_INDIC_DIGITS = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"
        + "\u0669";

    private final TestPipeline pipeline = TestPipeline.shared();

    /**
     * One hostile request.
     *
     * @param name what the case is, as the test report shows it
     * @param method the HTTP method
     * @param path the path and query below {@code /api}, from the case's account id; already percent-encoded
     * @param contentType the Content-Type to send, or null for none
     * @param body the raw body, or null for none
     * @param status the status expected
     * @param mentioned text the problem document must hold, from the case's account id
     */
    record Hostile(String name, String method, UnaryOperator<String> path, String contentType, byte[] body,
        int status, UnaryOperator<String> mentioned) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Hostile> hostileRequests() {
        return Stream.of(brokenJson(), wrongTypes(), sizes(), emptyValues(), objectIds(), unknownFields(),
            invisibleCharacters(), accountIds(), pathTricks(), accountMethods(), contentTypes())
            .flatMap(cases -> cases);
    }

    static Stream<Hostile> hostileCollectionRequests() {
        return Stream.concat(collectionMethods(), listQueries());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequests")
    void hostileRequestToAnAccountIsRefusedWithAProblemNamingItAndWritesNothing(Hostile hostile) {
        assertRefusedWithAProblemAndNothingWritten(hostile);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCollectionRequests")
    void hostileRequestToTheCollectionIsRefusedWithAProblemNamingItAndWritesNothing(Hostile hostile) {
        assertRefusedWithAProblemAndNothingWritten(hostile);
    }

    private void assertRefusedWithAProblemAndNothingWritten(Hostile hostile) {
        String accountId = pipeline.newAccount();
        long statusesBefore = statusEntityCount();

        HttpResponse<String> response = pipeline.send(request(hostile, accountId));

        assertEquals(hostile.status(), response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(null),
            response.body());
        JsonNode problem = TestPipeline.read(response.body());
        assertEquals(hostile.status(), problem.path("status").asInt(), response.body());
        assertFalse(problem.path("detail").asText().isBlank(), response.body());
        String mentioned = hostile.mentioned().apply(accountId);
        assertTrue(response.body().contains(mentioned), "the problem should mention " + mentioned + ": "
            + response.body());

        assertEquals(404, pipeline.get("/onboardings/" + accountId).statusCode(), "no status was written");
        assertEquals(statusesBefore, statusEntityCount(), "no status entity was added for any account");
        assertFalse(pipeline.queuedMessageTexts().stream()
            .anyMatch(m -> m.toLowerCase(Locale.ROOT).contains(accountId)), "no message was queued");
    }

    private static Stream<Hostile> brokenJson() {
        return Stream.of(
            body("broken JSON", "{`groups`:[", "not valid JSON"),
            body("truncated inside a string", "{`displayName`:`ab", "end-of-input"),
            body("truncated after a colon", "{`displayName`:", "end-of-input"),
            body("trailing comma in the object", "{`groups`:[],}", "column 14"),
            body("trailing comma in an array", "{`groups`:[`" + GROUP + "`,]}", "column 51"),
            body("block comment", "{/* owner */`groups`:[]}", "comment"),
            body("line comment after the object", "{} // done", "comment"),
            body("NaN", "{`startProvisioning`:NaN}", "'NaN'"),
            body("Infinity", "{`startProvisioning`:Infinity}", "'Infinity'"),
            body("single quotes", "{'displayName':'x'}", "code 39"),
            bytes("byte order mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("{}")),
                "0xfeff"),
            bytes("invalid UTF-8 in displayName", concat(utf8("{\"displayName\":\"caf"),
                new byte[] {(byte) 0xE9}, utf8("\"}")), "U+FFFD"),
            bytes("overlong UTF-8 in reference", concat(utf8("{\"reference\":\"a"),
                new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("b\"}")), "/reference"),
            bytes("invalid UTF-8 after the object", concat(utf8("{}"), new byte[] {(byte) 0xFF}), "65533"),
            body("arrays nested 10,000 deep", "{`groups`:" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
                "nesting depth"),
            body("duplicate key", "{`displayName`:`a`,`displayName`:`b`}", "Duplicate field 'displayName'"),
            body("a second object after the first", "{}{`groups`:[]}", "Trailing token"),
            body("trailing text", "{} x", "'x'"),
            body("raw control character in a string", "{`displayName`:`a\u0007b`}", "CTRL-CHAR"),
            body("number of 5,000 digits", "{`startProvisioning`:" + "9".repeat(5_000) + "}", "length"),
            body("the body is null", "null", "not null"),
            body("the body is a string", "`groups`", "not a string"),
            body("the body is a number", "42", "not a number"),
            body("array body", "[]", "JSON object"));
    }

    private static Stream<Hostile> wrongTypes() {
        return Stream.of(
            body("displayName as a number", "{`displayName`:7}", "must be a string, not a number"),
            body("displayName as an object", "{`displayName`:{`en`:`x`}}", "must be a string, not an object"),
            body("displayName as an array", "{`displayName`:[`x`]}", "must be a string, not an array"),
            body("reference as a boolean", "{`reference`:true}", "must be a string, not a boolean"),
            body("groups as a string", "{`groups`:`" + GROUP + "`}", "/groups"),
            body("groups as an object", "{`groups`:{`0`:`" + GROUP + "`}}", "not an object"),
            body("users as a number", "{`users`:1}", "not a number"),
            body("group id as a number", "{`groups`:[12345]}", "/groups/0"),
            body("group id as null", "{`groups`:[null]}", "not null"),
            body("group id inside a nested array", "{`groups`:[[`" + GROUP + "`]]}", "not an array"),
            body("startProvisioning as a string", "{`startProvisioning`:`true`}", "/startProvisioning"),
            body("startProvisioning as a number", "{`startProvisioning`:1}", "must be true or false, not a number"),
            body("startProvisioning as null", "{`startProvisioning`:null}", "must be true or false, not null"));
    }

    private static Stream<Hostile> sizes() {
        String tooManyGroups = IntStream.range(0, 101).mapToObj(i -> "`" + UUID.randomUUID() + "`")
            .collect(Collectors.joining(",", "[", "]"));
        return Stream.of(
            body("body of 40,000 bytes", "{`reference`:`" + "x".repeat(40_000) + "`}", "bytes"),
            body("body of 1 MB", "{`displayName`:`" + "x".repeat(1024 * 1024) + "`}", "most accepted is 32768"),
            body("101 groups", "{`groups`:" + tooManyGroups + "}", "has 101 entries"),
            body("10,000 users", "{`users`:[" + "0,".repeat(9_999) + "0]}", "has 10000 entries"),
            body("displayName of 201 characters", "{`displayName`:`" + "n".repeat(201) + "`}",
                "must be at most 200 characters"),
            body("displayName of 201 emoji", "{`displayName`:`" + "\uD83D\uDE00".repeat(201) + "`}",
                "must be at most 200 characters"),
            body("reference of 129 characters", "{`reference`:`" + "r".repeat(129) + "`}",
                "must be at most 128 characters"));
    }

    private static Stream<Hostile> emptyValues() {
        return Stream.of(
            body("empty displayName", "{`displayName`:``}", "must not be empty"),
            body("blank reference", "{`reference`:`   `}", "must not be empty"),
            body("empty group id", "{`groups`:[``]}", "/groups/0"));
    }

    private static Stream<Hostile> objectIds() {
        return Stream.of(
            body("e-mail address as a user id", "{`users`:[`alice@example.com`]}", "/users/0"),
            body("GUID in braces", "{`groups`:[`{" + GROUP + "}`]}", "/groups/0"),
            body("GUID without dashes", "{`groups`:[`" + GROUP.replace("-", "") + "`]}", "/groups/0"),
            body("GUID of 35 characters", "{`users`:[`" + USER.substring(1) + "`]}", "/users/0"),
            body("GUID with a non-hex letter", "{`users`:[`" + USER.replace('b', 'z') + "`]}", "/users/0"),
            body("GUID with spaces around it", "{`groups`:[` " + GROUP + " `]}", "/groups/0"),
            body("second id invalid", "{`groups`:[`" + GROUP + "`,`*`]}", "/groups/1"),
            body("OData in an id", "{`users`:[`" + USER + "' or 1 eq 1`]}", "/users/0"));
    }

    private static Stream<Hostile> unknownFields() {
        return Stream.of(
            body("unknown field", "{`owner`:`me`}", "/owner"),
            body("__proto__", "{`__proto__`:{`admin`:true}}", "/__proto__"),
            body("constructor", "{`constructor`:{`prototype`:{}}}", "/constructor"),
            body("DisplayName in another case", "{`DisplayName`:`x`}", "/DisplayName"),
            body("GROUPS in upper case", "{`GROUPS`:[]}", "/GROUPS"),
            body("$schema", "{`$schema`:`x`}", "/$schema"));
    }

    private static Stream<Hostile> invisibleCharacters() {
        return Stream.of(
            body("NUL in displayName", "{`displayName`:`a\\u0000b`}", "U+0000"),
            body("BEL in reference", "{`reference`:`CHG\\u0007-1`}", "U+0007"),
            body("ESC colour code in displayName", "{`displayName`:`\\u001b[31mred`}", "U+001B"),
            body("line feed inside reference", "{`reference`:`CHG-1\\nlevel=INFO forged`}", "U+000A"),
            body("carriage return inside displayName", "{`displayName`:`a\\rb`}", "U+000D"),
            body("right-to-left override in displayName", "{`displayName`:`abc\\u202Efed`}", "U+202E"),
            body("right-to-left override in reference", "{`reference`:`CHG\\u202E1`}", "U+202E"),
            body("left-to-right isolate in displayName", "{`displayName`:`a\\u2066b`}", "U+2066"),
            body("right-to-left mark in reference", "{`reference`:`a\\u200Fb`}", "U+200F"),
            body("zero-width no-break space in displayName", "{`displayName`:`\\uFEFFname`}", "U+FEFF"),
            body("zero-width space in displayName", "{`displayName`:`ad\\u200Bmin`}", "U+200B"),
            body("line separator in reference", "{`reference`:`a\\u2028b`}", "U+2028"),
            body("lone surrogate in displayName", "{`displayName`:`a\\uD800b`}", "U+D800"));
    }

    private static Stream<Hostile> accountIds() {
        return Stream.of(
            path("upper-case account id", "PUT", id -> id.toUpperCase(Locale.ROOT), id -> "lower case"),
            path("account id of 16 characters", "PUT", id -> id.substring(0, 16), id -> "'" + id.substring(0, 16)
                + "'"),
            path("account id of 31 characters", "PUT", id -> id.substring(1), id -> "'" + id.substring(1) + "'"),
            path("account id of 33 characters", "PUT", id -> id + "0", id -> "'" + id + "0'"),
            path("account id with a non-hex letter", "PUT", id -> id.substring(1) + "g", id -> "g'"),
            path("words as account id", "PUT", id -> "not-an-account", id -> "'not-an-account'"),
            path("Arabic-Indic digits as account id", "PUT",
                id -> encode(ARABIC_INDIC_DIGITS.repeat(3) + ARABIC_INDIC_DIGITS.substring(0, 2)),
                id -> ARABIC_INDIC_DIGITS.substring(0, 4)),
            path("account id of 4,000 characters", "PUT", id -> id.repeat(125), id -> id.substring(0, 8) + "...'"),
            path("upper-case account id on GET", "GET", id -> id.toUpperCase(Locale.ROOT), id -> "lower case"));
    }

    private static Stream<Hostile> pathTricks() {
        return Stream.of(
            path("dot-dot segment", "PUT", id -> "../" + id, id -> "'../" + id + "'"),
            path("dot-dot and encoded slash", "PUT", id -> "..%2F" + id, id -> "'../" + id + "'"),
            path("encoded dot-dot", "PUT", id -> "%2e%2e/" + id, id -> "'../" + id + "'"),
            path("encoded dot-dot alone", "GET", id -> "%2E%2E", id -> "'..'"),
            path("encoded NUL after the id", "PUT", id -> id + "%00", id -> id + "\\\\u0000'"),
            path("extra segment after the id", "PUT", id -> id + "/def", id -> "'" + id + "/def'"),
            path("two segments", "PUT", id -> "abc/def", id -> "'abc/def'"),
            path("trailing slash after a short id", "PUT", id -> id.substring(0, 16) + "/",
                id -> "'" + id.substring(0, 16) + "'"),
            path("encoded space before the id", "PUT", id -> "%20" + id, id -> "' " + id + "'"),
            path("encoded tab after the id", "PUT", id -> id + "%09", id -> id + "\\\\u0009'"),
            path("matrix parameter after the id", "PUT", id -> id + ";jsessionid=1", id -> "'" + id + ";jsessio"));
    }

    private static Stream<Hostile> accountMethods() {
        return Stream.of(
            method("POST on an account", "POST", id -> "/onboardings/" + id, "use GET, PUT, DELETE"),
            method("PATCH on an account", "PATCH", id -> "/onboardings/" + id, "use GET, PUT, DELETE"));
    }

    private static Stream<Hostile> collectionMethods() {
        return Stream.of(
            method("PUT on the collection", "PUT", id -> "/onboardings", "use GET, POST."),
            method("DELETE on the collection", "DELETE", id -> "/onboardings", "use GET, POST."),
            new Hostile("POST of a PUT body on the collection", "POST", id -> "/onboardings", JSON,
                utf8("{\"groups\":[\"" + GROUP + "\"]}"), 400, id -> "/accounts"));
    }

    private static Stream<Hostile> contentTypes() {
        return Stream.of(
            typed("text/plain", "text/plain", "{}", "'text/plain'"),
            typed("application/xml", "application/xml", "<onboarding><groups/></onboarding>", "'application/xml'"),
            typed("multipart/form-data", "multipart/form-data; boundary=b",
                "--b\r\nContent-Disposition: form-data; name=\"groups\"\r\n\r\nx\r\n--b--\r\n",
                "'multipart/form-data; boundary=b'"),
            typed("no content type with a body", null, "{}", "Content-Type is ''"),
            typed("form content type", "application/x-www-form-urlencoded", "groups=1", "application/json"));
    }

    private static Stream<Hostile> listQueries() {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(utf8("1!1!x;1!1!y"));
        return Stream.of(
            list("unknown state", "state=unknown", "must be one of queued, running, succeeded, failed"),
            list("state in upper case", "state=SUCCEEDED", "must be one of queued"),
            list("OData in state", "state=" + encode("succeeded' or '1' eq '1"), "must be one of queued"),
            list("top=0", "top=0", "whole number from 1 to 100"),
            list("top=101", "top=101", "whole number from 1 to 100"),
            list("top=-1", "top=-1", "whole number from 1 to 100"),
            list("top=abc", "top=abc", "whole number from 1 to 100"),
            list("top beyond an int", "top=99999999999", "whole number from 1 to 100"),
            list("top given twice", "top=1&top=2", "\"top\""),
            list("continuation=garbage", "continuation=garbage", "continuation"),
            list("continuation that is not base64", "continuation=%25%25%25", "start again from the first page"),
            list("forged continuation", "continuation=" + forged, "start again from the first page"),
            list("unknown parameter", "skip=10", "\"skip\""),
            list("$filter parameter", "%24filter=" + encode("state eq 'failed'"), "\"$filter\""));
    }

    /** A PUT of a JSON body to the case's account; backticks in {@code json} stand for double quotes. */
    private static Hostile body(String name, String json, String mentioned) {
        return bytes(name, utf8(json.replace('`', '"')), mentioned);
    }

    private static Hostile bytes(String name, byte[] body, String mentioned) {
        return new Hostile(name, "PUT", id -> "/onboardings/" + id, JSON, body, 400, id -> mentioned);
    }

    private static Hostile typed(String name, String contentType, String body, String mentioned) {
        return new Hostile(name, "PUT", id -> "/onboardings/" + id, contentType, utf8(body), 415, id -> mentioned);
    }

    /** A request to {@code /onboardings/{account}} with the account id replaced: PUT sends an empty object. */
    private static Hostile path(String name, String method, UnaryOperator<String> accountPath,
        UnaryOperator<String> mentioned) {
        return new Hostile(name, method, id -> "/onboardings/" + accountPath.apply(id), JSON,
            "PUT".equals(method) ? utf8("{}") : null, 400, mentioned);
    }

    private static Hostile method(String name, String method, UnaryOperator<String> path, String mentioned) {
        return new Hostile(name, method, path, JSON, utf8("{\"groups\":[\"" + GROUP + "\"]}"), 405,
            id -> mentioned);
    }

    private static Hostile list(String name, String query, String mentioned) {
        return new Hostile(name, "GET", id -> "/onboardings?" + query, null, null, 400, id -> mentioned);
    }

    private HttpRequest.Builder request(Hostile hostile, String accountId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(pipeline.api(hostile.path().apply(accountId)))
            .method(hostile.method(), hostile.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(hostile.body()));
        if (hostile.contentType() != null) {
            request.header("Content-Type", hostile.contentType());
        }
        return request;
    }

    /** How many onboardings the status table holds, for any account. */
    private long statusEntityCount() {
        try {
            return pipeline.statusTable().listEntities(new ListEntitiesOptions().setSelect(List.of("PartitionKey")),
                null, null).stream().count();
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return 0;
            }
            throw e;
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
