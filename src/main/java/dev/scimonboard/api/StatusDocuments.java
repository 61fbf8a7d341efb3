package dev.scimonboard.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimonboard.status.HistoryEntry;
import dev.scimonboard.status.JobHealth;
import dev.scimonboard.status.Onboarding;
import java.time.Instant;

/**
 * Writes an onboarding as the status document callers read, and outcome callbacks carry. Pipeline bookkeeping
 * (lease, sequence, the callback's claim) stays out.
 */
public final class StatusDocuments {
    static final ObjectMapper JSON = new ObjectMapper();

    private StatusDocuments() {
    }

    /**
     * The status document of an onboarding, as {@code GET /api/onboardings/{accountId}} answers it.
     *
     * @param o the onboarding
     * @return the document
     */
    public static ObjectNode write(Onboarding o) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("accountId", o.accountId());
        doc.put("state", o.state().wireName());
        doc.put("step", o.step());
        doc.put("applicationId", o.applicationId());
        doc.put("appId", o.appId());
        doc.put("applicationDisplayName", o.applicationDisplayName());
        doc.put("servicePrincipalId", o.servicePrincipalId());
        doc.put("jobId", o.jobId());
        doc.put("jobStatus", o.jobStatus());
        doc.put("cloudflareTokenId", o.cloudflareTokenId());
        doc.put("tokenSource", tokenSource(o));
        doc.put("keyVaultSecretVersion", o.keyVaultSecretVersion());
        doc.put("tokenMintedAt", time(o.tokenMintedAt()));
        if (o.tokenRotation() != null) {
            ObjectNode rotation = doc.putObject("tokenRotation");
            rotation.put("state", o.tokenRotation().state());
            rotation.put("at", time(o.tokenRotation().at()));
            rotation.put("tokenId", o.tokenRotation().tokenId());
            rotation.put("code", o.tokenRotation().code());
            rotation.put("message", o.tokenRotation().message());
        } else {
            doc.putNull("tokenRotation");
        }
        if (o.callback() != null) {
            ObjectNode callback = doc.putObject("callback");
            callback.put("state", o.callback().state());
            callback.put("deliveryId", o.callback().deliveryId());
            callback.put("attempts", o.callback().attempts());
            callback.put("lastStatus", o.callback().lastStatus());
            callback.put("at", time(o.callback().at()));
            callback.put("message", o.callback().message());
        } else {
            doc.putNull("callback");
        }

        JobHealth health = o.health();
        if (health == null) {
            doc.putNull("health");
        } else {
            ObjectNode h = doc.putObject("health");
            h.put("state", health.state());
            h.put("statusCode", health.statusCode());
            if (health.quarantineReason() == null) {
                h.putNull("quarantine");
            } else {
                h.putObject("quarantine").put("reason", health.quarantineReason())
                    .put("since", time(health.quarantineSince())).put("errorCode", health.quarantineErrorCode())
                    .put("message", health.quarantineErrorMessage());
            }
            if (health.lastExecutionState() == null) {
                h.putNull("lastExecution");
            } else {
                h.putObject("lastExecution").put("state", health.lastExecutionState())
                    .put("ended", time(health.lastExecutionEnded())).put("countEntitled", health.countEntitled())
                    .put("countExported", health.countExported());
            }
            h.put("checkedAt", time(health.checkedAt()));
        }

        ObjectNode desired = doc.putObject("desired");
        desired.put("displayName", o.desired().displayName());
        ArrayNode groups = desired.putArray("groups");
        o.desired().groups().forEach(groups::add);
        ArrayNode users = desired.putArray("users");
        o.desired().users().forEach(users::add);
        desired.put("startProvisioning", o.desired().startProvisioning());
        desired.put("scimTokenSecret", o.desired().scimTokenSecret());
        desired.put("prune", o.desired().prune());
        desired.put("callbackUrl", o.desired().callbackUrl());

        ArrayNode history = doc.putArray("history");
        for (HistoryEntry entry : o.history()) {
            ObjectNode item = history.addObject();
            item.put("step", entry.step());
            item.put("outcome", entry.outcome());
            item.put("attempt", entry.attempt());
            item.put("at", time(entry.at()));
            item.put("detail", entry.detail());
        }
        if (o.error() != null) {
            ObjectNode error = doc.putObject("error");
            error.put("step", o.error().step());
            error.put("code", o.error().code());
            error.put("message", o.error().message());
        } else {
            doc.putNull("error");
        }
        doc.put("reference", o.desired().reference());
        doc.put("correlationId", o.correlationId());
        doc.put("createdAt", time(o.createdAt()));
        doc.put("updatedAt", time(o.updatedAt()));
        return doc;
    }

    /** Where the saved SCIM token came from: minted by the app, read from Key Vault, or none saved yet. */
    private static String tokenSource(Onboarding o) {
        if (o.cloudflareTokenId() != null) {
            return "minted";
        }
        return o.keyVaultSecretVersion() != null ? "keyVault" : null;
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
