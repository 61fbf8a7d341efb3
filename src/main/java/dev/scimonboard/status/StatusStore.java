package dev.scimonboard.status;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status table: one entity per account (partition key the account id), written with its ETag so that two
 * writers never silently overwrite each other.
 */
public final class StatusStore {
    /** The table's name. */
    public static final String TABLE_NAME = "onboardings";

    private static final String ROW_KEY = "onboarding";
    private static final ObjectMapper JSON = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<List<HistoryEntry>> HISTORY_TYPE = new TypeReference<>() { };

    private final TableClient table;

    /**
     * Creates a store over a table client whose table exists.
     *
     * @param table the client of the {@value #TABLE_NAME} table
     */
    public StatusStore(TableClient table) {
        this.table = table;
    }

    /**
     * The onboarding of an account, if it was ever asked for.
     *
     * @param accountId the account
     * @return the record with its ETag, or empty
     */
    public Optional<Onboarding> find(String accountId) {
        try {
            Response<TableEntity> response = table.getEntityWithResponse(accountId, ROW_KEY, null, null,
                Context.NONE);
            return Optional.of(fromEntity(response.getValue()));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Writes a new onboarding; fails if the account already has one.
     *
     * @param onboarding the record
     * @return the record with its new ETag
     * @throws StatusConflict when the account already has a record
     */
    public Onboarding insert(Onboarding onboarding) {
        try {
            Response<Void> response = table.createEntityWithResponse(toEntity(onboarding), null, Context.NONE);
            return withEtag(onboarding, response);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 409) {
                throw new StatusConflict(onboarding.accountId());
            }
            throw e;
        }
    }

    /**
     * Replaces an onboarding if it has not changed since it was read (its ETag still matches).
     *
     * @param onboarding the changed record, carrying the ETag it was read with
     * @return the record with its new ETag
     * @throws StatusConflict when someone else wrote it since
     */
    public Onboarding replace(Onboarding onboarding) {
        // The SDK sends If-Match with the entity's ETag, which addProperty recognises by this name.
        TableEntity entity = toEntity(onboarding).addProperty("odata.etag", onboarding.etag());
        try {
            Response<Void> response = table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true,
                null, Context.NONE);
            return withEtag(onboarding, response);
        } catch (TableServiceException e) {
            int status = e.getResponse().getStatusCode();
            if (status == 412 || status == 404) {
                throw new StatusConflict(onboarding.accountId());
            }
            throw e;
        }
    }

    /**
     * A page of onboardings, optionally only those in one state.
     *
     * @param state the state to keep, or null for all
     * @param pageSize the most onboardings to return
     * @param continuation the token of the page to read, from a previous page, or null for the first
     * @return the page
     * @throws IllegalArgumentException when the continuation token is not one this store made
     */
    public StatusPage list(OnboardingState state, int pageSize, String continuation) {
        return list(state, null, pageSize, continuation);
    }

    /**
     * A page of onboardings, optionally only those in one state and of one job health.
     *
     * @param state the state to keep, or null for all
     * @param health the job health to keep ({@link JobHealth#state()}), or null for all
     * @param pageSize the most onboardings to return
     * @param continuation the token of the page to read, from a previous page, or null for the first
     * @return the page
     * @throws IllegalArgumentException when the continuation token is not one this store made
     */
    public StatusPage list(OnboardingState state, String health, int pageSize, String continuation) {
        ListEntitiesOptions options = new ListEntitiesOptions().setTop(pageSize);
        List<String> filters = new ArrayList<>();
        if (state != null) {
            filters.add("state eq '" + state.wireName() + "'");
        }
        if (health != null) {
            // Only the fixed words of JobHealth reach here; the API refuses anything else.
            filters.add("healthState eq '" + health + "'");
        }
        if (!filters.isEmpty()) {
            options.setFilter(String.join(" and ", filters));
        }
        PagedResponse<TableEntity> page;
        try {
            Iterator<PagedResponse<TableEntity>> pages = table.listEntities(options, null, Context.NONE)
                .iterableByPage(decodeContinuation(continuation)).iterator();
            if (!pages.hasNext()) {
                return new StatusPage(List.of(), null);
            }
            page = pages.next();
        } catch (TableServiceException e) {
            if (continuation != null && e.getResponse().getStatusCode() == 400) {
                // A token of the right shape that the table refuses: the caller's, not the service's, fault.
                throw new IllegalArgumentException("continuation is not a token from a previous page", e);
            }
            throw e;
        }
        List<Onboarding> items = new ArrayList<>();
        for (TableEntity entity : page.getValue()) {
            items.add(fromEntity(entity));
        }
        return new StatusPage(items, encodeContinuation(page.getContinuationToken()));
    }

    private static Onboarding withEtag(Onboarding onboarding, Response<Void> response) {
        return onboarding.toBuilder().etag(wellFormed(response.getHeaders().getValue(HttpHeaderName.ETAG))).build();
    }

    /**
     * The ETag with its closing quote. Against Azurite 3.35 the header of writes answered without content arrives without its closing quote
     * (the body's {@code odata.etag} is right), and a broken ETag would fail the next conditional write.
     */
    static String wellFormed(String etag) {
        if (etag != null && etag.startsWith("W/\"") && !etag.endsWith("\"")) {
            return etag + "\"";
        }
        return etag;
    }

    /**
     * The table's continuation token, made opaque: base64url of a checksum and the token, so that a token this store
     * did not give is refused rather than passed to the table.
     */
    private static String encodeContinuation(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        String checked = checksum(token) + ":" + token;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(checked.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeContinuation(String continuation) {
        if (continuation == null || continuation.isEmpty()) {
            return null;
        }
        String checked;
        try {
            checked = new String(Base64.getUrlDecoder().decode(continuation), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("continuation is not a token from a previous page", e);
        }
        int colon = checked.indexOf(':');
        String token = colon < 0 ? "" : checked.substring(colon + 1);
        if (colon < 0 || token.length() > 1024 || !checked.substring(0, colon).equals(checksum(token))) {
            throw new IllegalArgumentException("continuation is not a token from a previous page");
        }
        return token;
    }

    private static String checksum(String token) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(token.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    private static TableEntity toEntity(Onboarding o) {
        TableEntity entity = new TableEntity(o.accountId(), ROW_KEY);
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        put(p, "state", o.state().wireName());
        put(p, "step", o.step());
        put(p, "runId", o.runId());
        put(p, "correlationId", o.correlationId());
        p.put("sequence", o.sequence());
        put(p, "committedBy", o.committedBy());
        put(p, "leaseOwner", o.leaseOwner());
        put(p, "leaseUntil", o.leaseUntil());
        put(p, "desired", json(o.desired()));
        put(p, "reference", o.desired() == null ? null : o.desired().reference());
        put(p, "applicationDisplayName", o.applicationDisplayName());
        put(p, "instantiateAttemptedAt", o.instantiateAttemptedAt());
        put(p, "applicationId", o.applicationId());
        put(p, "appId", o.appId());
        put(p, "servicePrincipalId", o.servicePrincipalId());
        put(p, "userRoleId", o.userRoleId());
        put(p, "lastCreatedAt", o.lastCreatedAt());
        put(p, "jobRequestedAt", o.jobRequestedAt());
        put(p, "jobId", o.jobId());
        put(p, "cloudflareTokenId", o.cloudflareTokenId());
        put(p, "keyVaultSecretVersion", o.keyVaultSecretVersion());
        put(p, "tokenMintedAt", o.tokenMintedAt());
        put(p, "tokenRotation", o.tokenRotation() == null ? null : json(o.tokenRotation()));
        put(p, "callback", o.callback() == null ? null : json(o.callback()));
        put(p, "jobStatus", o.jobStatus());
        put(p, "health", o.health() == null ? null : json(o.health()));
        put(p, "healthState", o.health() == null ? null : o.health().state());
        put(p, "history", json(o.history()));
        put(p, "error", o.error() == null ? null : json(o.error()));
        put(p, "createdAt", o.createdAt());
        put(p, "updatedAt", o.updatedAt());
        p.forEach(entity::addProperty);
        return entity;
    }

    private static Onboarding fromEntity(TableEntity entity) {
        Map<String, Object> p = entity.getProperties();
        try {
            String history = text(p, "history");
            String error = text(p, "error");
            String rotation = text(p, "tokenRotation");
            String health = text(p, "health");
            String callback = text(p, "callback");
            Object sequence = p.get("sequence");
            Onboarding.Builder builder = new Onboarding.Builder()
                .accountId(entity.getPartitionKey())
                .state(OnboardingState.fromWireName(text(p, "state")))
                .step(text(p, "step"))
                .runId(text(p, "runId"))
                .correlationId(text(p, "correlationId"))
                .sequence(sequence instanceof Number n ? n.longValue() : 0L)
                .committedBy(text(p, "committedBy"))
                .lease(text(p, "leaseOwner"), instant(p, "leaseUntil"))
                .desired(JSON.readValue(text(p, "desired"), DesiredState.class))
                .applicationDisplayName(text(p, "applicationDisplayName"))
                .instantiateAttemptedAt(instant(p, "instantiateAttemptedAt"))
                .applicationId(text(p, "applicationId"))
                .appId(text(p, "appId"))
                .servicePrincipalId(text(p, "servicePrincipalId"))
                .userRoleId(text(p, "userRoleId"))
                .lastCreatedAt(instant(p, "lastCreatedAt"))
                .jobRequestedAt(instant(p, "jobRequestedAt"))
                .jobId(text(p, "jobId"))
                .cloudflareTokenId(text(p, "cloudflareTokenId"))
                .keyVaultSecretVersion(text(p, "keyVaultSecretVersion"))
                .tokenMintedAt(instant(p, "tokenMintedAt"))
                .tokenRotation(rotation == null ? null : JSON.readValue(rotation, TokenRotation.class))
                .callback(callback == null ? null : JSON.readValue(callback, CallbackDelivery.class))
                .jobStatus(text(p, "jobStatus"))
                .health(health == null ? null : JSON.readValue(health, JobHealth.class))
                .error(error == null ? null : JSON.readValue(error, OnboardingError.class))
                .createdAt(instant(p, "createdAt"))
                .updatedAt(instant(p, "updatedAt"))
                .etag(entity.getETag());
            if (history != null) {
                JSON.readValue(history, HISTORY_TYPE).forEach(builder::addHistory);
            }
            return builder.build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the status entity of account " + entity.getPartitionKey()
                + " is not readable", e);
        }
    }

    private static void put(Map<String, Object> properties, String name, Object value) {
        if (value != null) {
            properties.put(name, value instanceof Instant ? value.toString() : value);
        }
    }

    private static String text(Map<String, Object> properties, String name) {
        Object value = properties.get(name);
        return value == null ? null : value.toString();
    }

    private static Instant instant(Map<String, Object> properties, String name) {
        String value = text(properties, name);
        return value == null ? null : Instant.parse(value);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write status field", e);
        }
    }
}
