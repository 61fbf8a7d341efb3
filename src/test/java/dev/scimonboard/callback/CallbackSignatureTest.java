package dev.scimonboard.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimonboard.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallbackSignatureTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef-test-key";
    private static final String BODY = "{\"accountId\":\"0123456789abcdef0123456789abcdef\",\"state\":\"succeeded\"}";
    private static final long TIMESTAMP = 1767225600L;
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void theSignatureIsTheHexHmacSha256OfTheTimestampADotAndTheBody() {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(KEY, b'1767225600.' + BODY,
        // hashlib.sha256).hexdigest())"
        assertEquals("sha256=04b4f68a8087038f47317697fae5974b4145fb89b9c102484b32ae5a8f0915c2",
            CallbackSignature.sign(KEY, TIMESTAMP, BODY));
    }

    @Test
    void aReceiverAcceptsTheSignedBodyAndRefusesAChangedBodyAnotherKeyOrAnOldTimestamp() {
        String signature = CallbackSignature.sign(KEY, TIMESTAMP, BODY);
        Instant received = Instant.ofEpochSecond(TIMESTAMP + 30);

        assertTrue(CallbackSignature.verify(KEY, Long.toString(TIMESTAMP), BODY, signature, received, FIVE_MINUTES));
        assertFalse(CallbackSignature.verify(KEY, Long.toString(TIMESTAMP), BODY.replace("succeeded", "failed"),
            signature, received, FIVE_MINUTES));
        assertFalse(CallbackSignature.verify(KEY + "x", Long.toString(TIMESTAMP), BODY, signature, received,
            FIVE_MINUTES));
        assertFalse(CallbackSignature.verify(KEY, Long.toString(TIMESTAMP + 1), BODY, signature, received,
            FIVE_MINUTES), "the timestamp is signed too");
        assertFalse(CallbackSignature.verify(KEY, Long.toString(TIMESTAMP), BODY, signature,
            received.plus(Duration.ofMinutes(10)), FIVE_MINUTES), "a replay ten minutes later");
        assertFalse(CallbackSignature.verify(KEY, null, BODY, signature, received, FIVE_MINUTES));
        assertFalse(CallbackSignature.verify(KEY, "soon", BODY, signature, received, FIVE_MINUTES));
    }

    @Test
    void aMissingShortOrUnresolvedKeyIsAProblemThatNamesTheSetting() {
        Optional<String> unset = CallbackSignature.keyProblem(Settings.of(Map.of()).callbackSigningKey());
        Optional<String> shortKey = CallbackSignature.keyProblem(Optional.of("too-short"));
        Optional<String> unresolved = CallbackSignature.keyProblem(Optional.of(
            "@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/callback-signing-key)"));

        assertTrue(unset.orElseThrow().contains("CALLBACK_SIGNING_KEY"), unset.toString());
        assertTrue(unset.orElseThrow().contains("never sent unsigned"), unset.toString());
        assertTrue(shortKey.orElseThrow().contains("32"), shortKey.toString());
        assertTrue(unresolved.orElseThrow().contains("Key Vault reference"), unresolved.toString());
        assertEquals(Optional.empty(), CallbackSignature.keyProblem(Optional.of(KEY)));
    }

    @Test
    void theSettingsNeverShowTheKey() {
        Settings settings = Settings.of(Map.of("CALLBACK_SIGNING_KEY", KEY));

        assertEquals(Optional.of(KEY), settings.callbackSigningKey());
        assertFalse(settings.toString().contains(KEY));
    }
}
