package dev.scimonboard.keyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimonboard.Settings;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretReferenceTest {
    private static final Set<String> ALLOWED = Set.of("https://contoso-scim.vault.azure.net");

    @Test
    void aSecretOfAnAllowedVaultIsReadWithOrWithoutItsVersion() {
        SecretReference current = SecretReference.parse("https://Contoso-SCIM.vault.azure.net/secrets/cf-token",
            ALLOWED);
        SecretReference pinned = SecretReference.parse("https://contoso-scim.vault.azure.net/secrets/cf-token/"
            + "0123456789abcdef0123456789abcdef", ALLOWED);

        assertEquals("https://contoso-scim.vault.azure.net", current.vaultUrl());
        assertEquals("cf-token", current.name());
        assertNull(current.version());
        assertEquals("0123456789abcdef0123456789abcdef", pinned.version());
        assertEquals("https://contoso-scim.vault.azure.net/secrets/cf-token", current.identifier());
    }

    @Test
    void anythingButAnHttpsSecretIdentifierIsRefusedWithWhatToWrite() {
        for (String text : new String[] {
            "http://contoso-scim.vault.azure.net/secrets/cf-token",
            "https://contoso-scim.vault.azure.net/keys/cf-token",
            "https://contoso-scim.vault.azure.net/secrets/",
            "https://contoso-scim.vault.azure.net/secrets/cf_token",
            "https://contoso-scim.vault.azure.net/secrets/cf-token/not-a-version",
            "https://contoso-scim.vault.azure.net/secrets/cf-token?api-version=7.6",
            "https://user@contoso-scim.vault.azure.net/secrets/cf-token",
            "not a url at all"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SecretReference.parse(text, ALLOWED), text);
            assertTrue(e.getMessage().contains("secrets") || e.getMessage().contains("https"), e.getMessage());
        }
    }

    @Test
    void aVaultThatIsNotListedIsRefusedNamingTheListedOnes() {
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
            () -> SecretReference.parse("https://elsewhere.vault.azure.net/secrets/cf-token", ALLOWED));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> SecretReference.parse("https://contoso-scim.vault.azure.net/secrets/cf-token", Set.of()));

        assertTrue(other.getMessage().contains("https://contoso-scim.vault.azure.net"), other.getMessage());
        assertTrue(none.getMessage().contains("SCIM_TOKEN_KEY_VAULTS"), none.getMessage());
    }

    @Test
    void theSettingListsVaultsThatRequestsMayName() {
        Settings settings = Settings.of(Map.of("SCIM_TOKEN_KEY_VAULTS",
            " https://contoso-scim.vault.azure.net/ ,https://second.vault.azure.net"));

        assertEquals(Set.of("https://contoso-scim.vault.azure.net", "https://second.vault.azure.net"),
            Set.copyOf(settings.scimTokenKeyVaults().stream().map(SecretReference::vaultRoot).toList()));
        assertThrows(IllegalStateException.class, () -> Settings.of(Map.of("SCIM_TOKEN_KEY_VAULTS",
            "http://contoso-scim.vault.azure.net")).scimTokenKeyVaults());
    }
}
