package dev.scimonboard.graph;

import com.microsoft.graph.applicationtemplates.item.instantiate.InstantiatePostRequestBody;
import com.microsoft.graph.models.AppRoleAssignment;
import com.microsoft.graph.models.AppRoleAssignmentCollectionResponse;
import com.microsoft.graph.models.ApplicationServicePrincipal;
import com.microsoft.graph.models.ServicePrincipalCollectionResponse;
import com.microsoft.graph.models.SynchronizationJobCollectionResponse;
import com.microsoft.graph.models.SynchronizationSecret;
import com.microsoft.graph.models.SynchronizationSecretKeyStringValuePair;
import com.microsoft.graph.models.SynchronizationError;
import com.microsoft.graph.models.SynchronizationQuarantine;
import com.microsoft.graph.models.SynchronizationStatus;
import com.microsoft.graph.models.SynchronizationTaskExecution;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.serviceprincipals.item.synchronization.jobs.item.validatecredentials.ValidateCredentialsPostRequestBody;
import com.microsoft.graph.serviceprincipals.item.synchronization.secrets.SecretsPutRequestBody;
import dev.scimonboard.OnboardingFailure;
import dev.scimonboard.graph.EntraModels.AppRole;
import dev.scimonboard.graph.EntraModels.Assignment;
import dev.scimonboard.graph.EntraModels.CreatedApplication;
import dev.scimonboard.graph.EntraModels.JobStatusReading;
import dev.scimonboard.graph.EntraModels.ServicePrincipal;
import dev.scimonboard.graph.EntraModels.SynchronizationJob;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The Entra calls the steps make, through the Graph SDK. Every failure comes out as a
 * {@link dev.scimonboard.TransientFailure} or a {@link dev.scimonboard.PermanentFailure}; a missing object comes
 * out as an empty result where the caller is looking, not creating.
 *
 * <p>Request bodies are built fresh for every call: the SDK's models send only fields changed since they were last
 * sent, so a reused body would go out empty.
 */
public final class EntraClient {
    private static final String WRITE_APPS = "Application.ReadWrite.OwnedBy (or Application.ReadWrite.All)";
    private static final String READ_APPS = "Application.Read.All";
    private static final String SYNC = "Synchronization.ReadWrite.All (or Application.ReadWrite.OwnedBy)";
    private static final String ASSIGN = "AppRoleAssignment.ReadWrite.All";
    private static final String[] SERVICE_PRINCIPAL_FIELDS = {"id", "appId", "displayName", "appRoles"};

    private final GraphServiceClient graph;

    /**
     * Creates the client.
     *
     * @param graph the process's Graph client
     */
    public EntraClient(GraphServiceClient graph) {
        this.graph = graph;
    }

    /**
     * Creates an enterprise application and its service principal from a template.
     *
     * @param templateId the application template
     * @param displayName the name to give it
     * @return the ids of what was made
     * @throws ApplicationNotConfirmed when Graph answered 404: it may have made the application all the same
     */
    public CreatedApplication instantiate(String templateId, String displayName) {
        InstantiatePostRequestBody body = new InstantiatePostRequestBody();
        body.setDisplayName(displayName);
        ApplicationServicePrincipal made;
        try {
            made = graph.applicationTemplates().byApplicationTemplateId(templateId).instantiate().post(body);
        } catch (RuntimeException e) {
            if (GraphErrors.isNotFound(e)) {
                throw new ApplicationNotConfirmed(GraphErrors.errorMessage(e), e);
            }
            throw GraphErrors.classify(e, "create the application from template " + templateId, WRITE_APPS);
        }
        if (made == null || made.getApplication() == null || made.getServicePrincipal() == null) {
            throw new ApplicationNotConfirmed("the answer named no application and service principal", null);
        }
        return new CreatedApplication(made.getApplication().getId(), made.getApplication().getAppId(),
            made.getServicePrincipal().getId());
    }

    /**
     * A service principal by object id, if Graph can see it (a new one may not be visible yet).
     *
     * @param id the object id
     * @return the service principal, or empty on 404
     */
    public Optional<ServicePrincipal> servicePrincipal(String id) {
        try {
            return Optional.ofNullable(graph.servicePrincipals().byServicePrincipalId(id)
                .get(config -> config.queryParameters.select = SERVICE_PRINCIPAL_FIELDS))
                .map(EntraClient::toServicePrincipal);
        } catch (RuntimeException e) {
            if (GraphErrors.isNotFound(e)) {
                return Optional.empty();
            }
            throw GraphErrors.classify(e, "read service principal " + id, READ_APPS);
        }
    }

    /**
     * The service principals with exactly this display name.
     *
     * @param displayName the name
     * @return those Graph can see now, possibly none
     */
    public List<ServicePrincipal> servicePrincipalsNamed(String displayName) {
        String filter = "displayName eq " + ODataText.literal(displayName);
        ServicePrincipalCollectionResponse page = call(() -> graph.servicePrincipals().get(config -> {
            config.queryParameters.filter = filter;
            config.queryParameters.select = SERVICE_PRINCIPAL_FIELDS;
        }), "find the service principal named '" + displayName + "'", READ_APPS);
        List<ServicePrincipal> found = new ArrayList<>();
        if (page != null && page.getValue() != null) {
            for (com.microsoft.graph.models.ServicePrincipal sp : page.getValue()) {
                // The filter is the service's; an exact comparison here keeps a loose match from being taken.
                if (displayName.equals(sp.getDisplayName())) {
                    found.add(toServicePrincipal(sp));
                }
            }
        }
        return found;
    }

    /**
     * The application object id for an application (client) id, if Graph can see it.
     *
     * @param appId the application (client) id
     * @return the object id, or empty
     */
    public Optional<String> applicationObjectId(String appId) {
        try {
            return Optional.ofNullable(graph.applicationsWithAppId(appId)
                .get(config -> config.queryParameters.select = new String[] {"id"}))
                .map(com.microsoft.graph.models.Application::getId);
        } catch (RuntimeException e) {
            OnboardingFailure failure = GraphErrors.classify(e, "read the application with appId " + appId,
                READ_APPS);
            if (failure instanceof dev.scimonboard.TransientFailure) {
                throw failure;
            }
            // Only the status document wants this id; the steps work from the service principal, so a Graph that
            // cannot answer this lookup must not fail the onboarding.
            return Optional.empty();
        }
    }

    /**
     * The synchronization jobs of a service principal.
     *
     * @param servicePrincipalId the service principal
     * @return its jobs
     */
    public List<SynchronizationJob> jobs(String servicePrincipalId) {
        SynchronizationJobCollectionResponse page = call(() -> graph.servicePrincipals()
            .byServicePrincipalId(servicePrincipalId).synchronization().jobs().get(),
            "list the synchronization jobs of service principal " + servicePrincipalId, SYNC);
        List<SynchronizationJob> jobs = new ArrayList<>();
        if (page != null && page.getValue() != null) {
            page.getValue().forEach(job -> jobs.add(toJob(job)));
        }
        return jobs;
    }

    /**
     * Creates a synchronization job.
     *
     * @param servicePrincipalId the service principal
     * @param templateId the synchronization template, {@code scim} for a SCIM endpoint
     * @return the job
     */
    public SynchronizationJob createJob(String servicePrincipalId, String templateId) {
        com.microsoft.graph.models.SynchronizationJob body = new com.microsoft.graph.models.SynchronizationJob();
        body.setTemplateId(templateId);
        return toJob(call(() -> graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).synchronization()
            .jobs().post(body), "create the synchronization job of service principal " + servicePrincipalId, SYNC));
    }

    /**
     * One synchronization job.
     *
     * @param servicePrincipalId the service principal
     * @param jobId the job
     * @return the job
     */
    public SynchronizationJob job(String servicePrincipalId, String jobId) {
        return toJob(call(() -> graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).synchronization()
            .jobs().bySynchronizationJobId(jobId).get(), "read synchronization job " + jobId, SYNC));
    }

    /**
     * Saves the synchronization secrets of a service principal, all in one call. The values are not logged.
     *
     * @param servicePrincipalId the service principal
     * @param secrets the secrets by key, such as BaseAddress and SecretToken
     */
    public void saveSecrets(String servicePrincipalId, Map<SynchronizationSecret, String> secrets) {
        SecretsPutRequestBody body = new SecretsPutRequestBody();
        body.setValue(pairs(secrets));
        call(() -> graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).synchronization().secrets()
            .put(body), "save the synchronization secrets of service principal " + servicePrincipalId, SYNC);
    }

    /**
     * Asks Entra to test the saved credentials against the SCIM endpoint.
     *
     * @param servicePrincipalId the service principal
     * @param jobId the job
     * @throws CredentialsRejected when Entra answered that the test failed
     */
    public void validateSavedCredentials(String servicePrincipalId, String jobId) {
        ValidateCredentialsPostRequestBody body = new ValidateCredentialsPostRequestBody();
        body.setUseSavedCredentials(true);
        validate(servicePrincipalId, jobId, body);
    }

    /**
     * Asks Entra to test credentials that are not saved, such as a new token before it replaces the saved one. The
     * values are not logged.
     *
     * @param servicePrincipalId the service principal
     * @param jobId the job
     * @param credentials the credentials by key, such as BaseAddress and SecretToken
     * @throws CredentialsRejected when Entra answered that the test failed
     */
    public void validateCredentials(String servicePrincipalId, String jobId,
        Map<SynchronizationSecret, String> credentials) {
        ValidateCredentialsPostRequestBody body = new ValidateCredentialsPostRequestBody();
        body.setUseSavedCredentials(false);
        body.setCredentials(pairs(credentials));
        validate(servicePrincipalId, jobId, body);
    }

    private void validate(String servicePrincipalId, String jobId, ValidateCredentialsPostRequestBody body) {
        try {
            graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).synchronization().jobs()
                .bySynchronizationJobId(jobId).validateCredentials().post(body);
        } catch (RuntimeException e) {
            if (GraphErrors.status(e) == 400) {
                throw new CredentialsRejected(GraphErrors.errorMessage(e), e);
            }
            throw GraphErrors.classify(e, "test the connection of synchronization job " + jobId, SYNC);
        }
    }

    private static List<SynchronizationSecretKeyStringValuePair> pairs(Map<SynchronizationSecret, String> secrets) {
        List<SynchronizationSecretKeyStringValuePair> pairs = new ArrayList<>();
        secrets.forEach((key, value) -> {
            SynchronizationSecretKeyStringValuePair pair = new SynchronizationSecretKeyStringValuePair();
            pair.setKey(key);
            pair.setValue(value);
            pairs.add(pair);
        });
        return pairs;
    }

    /**
     * The app role assignments on a service principal.
     *
     * @param servicePrincipalId the service principal (the resource)
     * @return the assignments
     */
    public List<Assignment> assignments(String servicePrincipalId) {
        List<Assignment> assignments = new ArrayList<>();
        AppRoleAssignmentCollectionResponse page = call(() -> graph.servicePrincipals()
            .byServicePrincipalId(servicePrincipalId).appRoleAssignedTo().get(config -> config.queryParameters.top = 999),
            "list the assignments of service principal " + servicePrincipalId, READ_APPS);
        while (page != null) {
            if (page.getValue() != null) {
                for (AppRoleAssignment assignment : page.getValue()) {
                    assignments.add(new Assignment(assignment.getId(), lower(assignment.getPrincipalId()),
                        lower(assignment.getAppRoleId())));
                }
            }
            String next = page.getOdataNextLink();
            if (next == null) {
                break;
            }
            page = call(() -> graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).appRoleAssignedTo()
                .withUrl(next).get(), "list the assignments of service principal " + servicePrincipalId, READ_APPS);
        }
        return assignments;
    }

    /**
     * Assigns a user or group to the application with a role. An assignment that already exists counts as made.
     *
     * @param servicePrincipalId the service principal (the resource)
     * @param principalId the user or group
     * @param appRoleId the role
     */
    public void assign(String servicePrincipalId, String principalId, String appRoleId) {
        AppRoleAssignment body = new AppRoleAssignment();
        body.setPrincipalId(UUID.fromString(principalId));
        body.setResourceId(UUID.fromString(servicePrincipalId));
        body.setAppRoleId(UUID.fromString(appRoleId));
        try {
            graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).appRoleAssignedTo().post(body);
        } catch (RuntimeException e) {
            int status = GraphErrors.status(e);
            String message = GraphErrors.errorMessage(e).toLowerCase(Locale.ROOT);
            if (status == 409 || (status == 400 && message.contains("already exist"))) {
                return;
            }
            if (status == 404 || (status == 400 && message.contains("does not exist"))) {
                throw new PrincipalNotFound(principalId, e);
            }
            throw GraphErrors.classify(e, "assign principal " + principalId + " to service principal "
                + servicePrincipalId, ASSIGN);
        }
    }

    /**
     * Starts a synchronization job (also clears its quarantine and resumes it when paused).
     *
     * @param servicePrincipalId the service principal
     * @param jobId the job
     */
    public void startJob(String servicePrincipalId, String jobId) {
        call(() -> {
            graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).synchronization().jobs()
                .bySynchronizationJobId(jobId).start().post();
            return null;
        }, "start synchronization job " + jobId, SYNC);
    }

    /**
     * Reads a synchronization job's status: its code, its quarantine and its last provisioning cycle.
     *
     * @param servicePrincipalId the service principal
     * @param jobId the job
     * @return what the job's status says
     */
    public JobStatusReading jobStatus(String servicePrincipalId, String jobId) {
        com.microsoft.graph.models.SynchronizationJob job = call(() -> graph.servicePrincipals()
            .byServicePrincipalId(servicePrincipalId).synchronization().jobs().bySynchronizationJobId(jobId).get(),
            "read synchronization job " + jobId, SYNC);
        SynchronizationStatus status = job == null ? null : job.getStatus();
        if (status == null) {
            return new JobStatusReading(null, null, null, null, null, null, null, null, null);
        }
        SynchronizationQuarantine quarantine = status.getQuarantine();
        SynchronizationError error = quarantine == null ? null : quarantine.getError();
        SynchronizationTaskExecution last = status.getLastExecution();
        return new JobStatusReading(
            status.getCode() == null ? null : status.getCode().getValue(),
            quarantine == null || quarantine.getReason() == null ? null : quarantine.getReason().getValue(),
            quarantine == null ? null : instant(quarantine.getCurrentBegan()),
            error == null ? null : error.getCode(),
            error == null ? null : error.getMessage(),
            last == null || last.getState() == null ? null : last.getState().getValue(),
            last == null ? null : instant(last.getTimeEnded()),
            last == null ? null : last.getCountEntitled(),
            last == null ? null : last.getCountExported());
    }

    /**
     * Removes an app role assignment from the application.
     *
     * @param servicePrincipalId the service principal (the resource)
     * @param assignmentId the assignment
     * @return false when it was already gone
     */
    public boolean removeAssignment(String servicePrincipalId, String assignmentId) {
        return unlessGone(() -> graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).appRoleAssignedTo()
            .byAppRoleAssignmentId(assignmentId).delete(), "remove assignment " + assignmentId + " from service "
            + "principal " + servicePrincipalId, ASSIGN);
    }

    /**
     * Pauses a synchronization job, so that no cycle runs while it is being removed.
     *
     * @param servicePrincipalId the service principal
     * @param jobId the job
     * @return false when the job (or its service principal) does not exist any more
     */
    public boolean pauseJob(String servicePrincipalId, String jobId) {
        return unlessGone(() -> graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).synchronization()
            .jobs().bySynchronizationJobId(jobId).pause().post(), "pause synchronization job " + jobId, SYNC);
    }

    /**
     * Deletes a synchronization job.
     *
     * @param servicePrincipalId the service principal
     * @param jobId the job
     * @return false when it was already gone
     */
    public boolean deleteJob(String servicePrincipalId, String jobId) {
        return unlessGone(() -> graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).synchronization()
            .jobs().bySynchronizationJobId(jobId).delete(), "delete synchronization job " + jobId, SYNC);
    }

    /**
     * Deletes a service principal.
     *
     * @param servicePrincipalId the service principal
     * @return false when it was already gone
     */
    public boolean deleteServicePrincipal(String servicePrincipalId) {
        return unlessGone(() -> graph.servicePrincipals().byServicePrincipalId(servicePrincipalId).delete(),
            "delete service principal " + servicePrincipalId, WRITE_APPS);
    }

    /**
     * Deletes an application; Entra keeps it in its deleted items for 30 days, from where it can be restored.
     *
     * @param applicationId the application's object id
     * @return false when it was already gone
     */
    public boolean deleteApplication(String applicationId) {
        return unlessGone(() -> graph.applications().byApplicationId(applicationId).delete(),
            "delete application " + applicationId, WRITE_APPS);
    }

    /** Runs a removal; a 404 means the object is already gone, which is what the removal wanted. */
    private static boolean unlessGone(Runnable request, String description, String permission) {
        try {
            request.run();
            return true;
        } catch (RuntimeException e) {
            if (GraphErrors.isNotFound(e)) {
                return false;
            }
            throw GraphErrors.classify(e, description, permission);
        }
    }

    private static <T> T call(Supplier<T> request, String description, String permission) {
        try {
            return request.get();
        } catch (OnboardingFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw GraphErrors.classify(e, description, permission);
        }
    }

    private static void call(Runnable request, String description, String permission) {
        call(() -> {
            request.run();
            return null;
        }, description, permission);
    }

    private static ServicePrincipal toServicePrincipal(com.microsoft.graph.models.ServicePrincipal sp) {
        List<AppRole> roles = new ArrayList<>();
        if (sp.getAppRoles() != null) {
            for (com.microsoft.graph.models.AppRole role : sp.getAppRoles()) {
                roles.add(new AppRole(lower(role.getId()), role.getDisplayName(), role.getValue(),
                    !Boolean.FALSE.equals(role.getIsEnabled())));
            }
        }
        return new ServicePrincipal(sp.getId(), sp.getAppId(), sp.getDisplayName(), roles);
    }

    private static SynchronizationJob toJob(com.microsoft.graph.models.SynchronizationJob job) {
        if (job == null) {
            throw new IllegalStateException("Graph answered without a synchronization job");
        }
        String statusCode = job.getStatus() == null || job.getStatus().getCode() == null ? null
            : job.getStatus().getCode().getValue();
        String scheduleState = job.getSchedule() == null || job.getSchedule().getState() == null ? null
            : job.getSchedule().getState().getValue();
        return new SynchronizationJob(job.getId(), job.getTemplateId(), statusCode, scheduleState);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    private static String lower(UUID id) {
        return id == null ? null : id.toString().toLowerCase(Locale.ROOT);
    }
}
