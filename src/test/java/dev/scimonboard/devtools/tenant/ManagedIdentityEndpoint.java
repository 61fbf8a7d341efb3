package dev.scimonboard.devtools.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The App Service managed identity endpoint (api-version 2019-08-01) and the access tokens it issues. Tokens are
 * JWT-shaped and signed with HMAC-SHA256 under a key that lives only in this tenant, so Graph can tell its own
 * tokens from anything else.
 */
final class ManagedIdentityEndpoint {

    /** The audiences under which Graph accepts a token. */
    static final Set<String> GRAPH_AUDIENCES = Set.of("https://graph.microsoft.com", "https://graph.microsoft.com/",
            "00000003-0000-0000-c000-000000000000");

    private static final String API_VERSION = "2019-08-01";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

    /** Why a presented token was refused, with the message Graph gives for it. */
    enum Refusal {
        MISSING("Access token is empty."),
        MALFORMED("CompactToken parsing failed with error code: 80049217"),
        BAD_SIGNATURE("Access token validation failure. Invalid signature."),
        WRONG_AUDIENCE("Access token validation failure. Invalid audience."),
        EXPIRED("Lifetime validation failed, the token is expired.");

        final String message;

        Refusal(String message) {
            this.message = message;
        }
    }

    /** The outcome of checking a bearer token: the caller's claims, or why it was refused. */
    record Verification(JsonNode claims, Refusal refusal) {
        boolean accepted() {
            return refusal == null;
        }
    }

    private final byte[] signingKey = new byte[32];
    private final String identityHeader;
    private final String tenantId;
    private final String systemClientId;
    private final String systemObjectId;
    private final Supplier<List<String>> grantedRoles;
    private volatile Duration tokenLifetime = Duration.ofHours(1);

    ManagedIdentityEndpoint(String identityHeader, String tenantId, String systemClientId, String systemObjectId,
            Supplier<List<String>> grantedRoles) {
        new SecureRandom().nextBytes(signingKey);
        this.identityHeader = identityHeader;
        this.tenantId = tenantId;
        this.systemClientId = systemClientId;
        this.systemObjectId = systemObjectId;
        this.grantedRoles = grantedRoles;
    }

    /** Sets how long newly issued tokens live. */
    void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** The client id of the system-assigned identity. */
    String systemClientId() {
        return systemClientId;
    }

    /** The object id of the system-assigned identity. */
    String systemObjectId() {
        return systemObjectId;
    }

    /** Answers GET {IDENTITY_ENDPOINT}?resource=...&api-version=2019-08-01 as App Service does. */
    EmulatedResponse handle(EmulatedRequest request) {
        if (!"GET".equals(request.method())) {
            return failure(405, "Method not allowed: the identity endpoint answers GET only.");
        }
        String presented = request.header("X-IDENTITY-HEADER");
        if (presented == null || presented.isEmpty()) {
            return failure(400, "Required header X-IDENTITY-HEADER is missing.");
        }
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                identityHeader.getBytes(StandardCharsets.UTF_8))) {
            return failure(401, "Unauthorized: the X-IDENTITY-HEADER value is not valid.");
        }
        String apiVersion = request.query().get("api-version");
        if (!API_VERSION.equals(apiVersion)) {
            return failure(400, "The api-version '" + apiVersion + "' is not supported. Use " + API_VERSION + ".");
        }
        String resource = request.query().get("resource");
        if (resource == null || resource.isBlank()) {
            return failure(400, "Required query parameter 'resource' is missing.");
        }

        // A user-assigned identity is named by one of three parameters; any name is accepted and gets stable ids.
        String clientId = systemClientId;
        String objectId = systemObjectId;
        for (String parameter : List.of("client_id", "principal_id", "object_id", "mi_res_id")) {
            String value = request.query().get(parameter);
            if (value != null && !value.isBlank()) {
                clientId = "client_id".equals(parameter) ? value : derivedId("client:" + value);
                objectId = "client_id".equals(parameter) ? derivedId("object:" + value)
                        : "mi_res_id".equals(parameter) ? derivedId("object:" + value) : value;
                break;
            }
        }

        Instant now = Instant.now();
        Instant expires = now.plus(tokenLifetime);
        String audience = resource.endsWith("/.default") ? resource.substring(0, resource.length() - 9) : resource;
        ObjectNode body = EmulatedResponse.JSON.createObjectNode();
        body.put("access_token", issue(audience, clientId, objectId, now, expires));
        body.put("expires_on", Long.toString(expires.getEpochSecond()));
        body.put("resource", resource);
        body.put("token_type", "Bearer");
        body.put("client_id", clientId);
        return EmulatedResponse.json(200, body);
    }

    /** Checks a bearer token presented to Graph: signature, audience and lifetime. */
    Verification verifyForGraph(String authorizationHeader) {
        return verify(authorizationHeader, GRAPH_AUDIENCES);
    }

    /** Checks a bearer token presented to a service that accepts the given audiences. */
    Verification verify(String authorizationHeader, Set<String> audiences) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new Verification(null, Refusal.MISSING);
        }
        if (!authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Verification(null, Refusal.MALFORMED);
        }
        String token = authorizationHeader.substring(7).trim();
        if (token.isEmpty()) {
            return new Verification(null, Refusal.MISSING);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return new Verification(null, Refusal.MALFORMED);
        }
        JsonNode claims;
        try {
            claims = EmulatedResponse.JSON.readTree(BASE64URL_DECODER.decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return new Verification(null, Refusal.MALFORMED);
        }
        byte[] expected = sign(parts[0] + "." + parts[1]);
        byte[] actual;
        try {
            actual = BASE64URL_DECODER.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return new Verification(null, Refusal.BAD_SIGNATURE);
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            return new Verification(null, Refusal.BAD_SIGNATURE);
        }
        if (!audiences.contains(claims.path("aud").asText())) {
            return new Verification(claims, Refusal.WRONG_AUDIENCE);
        }
        if (claims.path("exp").asLong() <= Instant.now().getEpochSecond()) {
            return new Verification(claims, Refusal.EXPIRED);
        }
        return new Verification(claims, null);
    }

    private String issue(String audience, String clientId, String objectId, Instant now, Instant expires) {
        ObjectNode header = EmulatedResponse.JSON.createObjectNode();
        header.put("typ", "JWT");
        header.put("alg", "HS256");
        ObjectNode claims = EmulatedResponse.JSON.createObjectNode();
        claims.put("aud", audience);
        claims.put("iss", "https://sts.windows.net/" + tenantId + "/");
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("appid", clientId);
        claims.put("appidacr", "2");
        claims.put("idtyp", "app");
        claims.put("oid", objectId);
        claims.put("sub", objectId);
        claims.put("tid", tenantId);
        claims.put("uti", BASE64URL.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
        claims.put("ver", "1.0");
        // Roles are a snapshot of the grants when issued, as in a real token; Graph itself checks current grants.
        claims.putPOJO("roles", grantedRoles.get());
        String signingInput = encode(header) + "." + encode(claims);
        return signingInput + "." + BASE64URL.encodeToString(sign(signingInput));
    }

    private static String encode(JsonNode node) {
        try {
            return BASE64URL.encodeToString(EmulatedResponse.JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private byte[] sign(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String derivedId(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static EmulatedResponse failure(int status, String message) {
        ObjectNode body = EmulatedResponse.JSON.createObjectNode();
        body.put("statusCode", status);
        body.put("message", message);
        body.put("correlationId", UUID.randomUUID().toString());
        return EmulatedResponse.json(status, body);
    }
}
