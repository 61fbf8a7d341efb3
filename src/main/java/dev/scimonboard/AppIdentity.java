package dev.scimonboard;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;

/** The app's own identity, with which it calls Microsoft Graph and reads Key Vault secrets. */
public final class AppIdentity {
    private AppIdentity() {
    }

    /**
     * The platform's managed identity when the platform offers one (its endpoint variables are set), otherwise the
     * developer's sign-in through the default chain (such as {@code az login}).
     *
     * @param settings for the client id of a user-assigned identity
     * @return the credential; build one per process, as it caches tokens
     */
    public static TokenCredential credential(Settings settings) {
        boolean managedIdentityAvailable = System.getenv("IDENTITY_ENDPOINT") != null
            || System.getenv("MSI_ENDPOINT") != null;
        if (managedIdentityAvailable) {
            ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
            settings.managedIdentityClientId().ifPresent(builder::clientId);
            return builder.build();
        }
        DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
        settings.managedIdentityClientId().ifPresent(builder::managedIdentityClientId);
        return builder.build();
    }
}
