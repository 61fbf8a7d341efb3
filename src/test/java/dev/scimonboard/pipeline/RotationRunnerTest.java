package dev.scimonboard.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.scimonboard.Settings;
import dev.scimonboard.status.DesiredState;
import dev.scimonboard.status.Onboarding;
import dev.scimonboard.status.OnboardingState;
import dev.scimonboard.status.TokenRotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RotationRunnerTest {
    private static final Instant NOW = Instant.parse("2026-12-03T03:00:00Z");
    private final RotationRunner runner = new RotationRunner(null, null, (text, delay) -> { },
        Optional.of(Duration.ofDays(30)), Duration.ofMinutes(15), Clock.systemUTC());

    @Test
    void aMintedTokenOlderThanTheMaximumAgeIsDue() {
        assertTrue(runner.due(minted(NOW.minus(Duration.ofDays(30))).build(), NOW));
        assertFalse(runner.due(minted(NOW.minus(Duration.ofDays(29))).build(), NOW));
    }

    @Test
    void aTokenWithoutARecordedMintingTimeIsDue() {
        assertTrue(runner.due(minted(null).build(), NOW));
    }

    @Test
    void aTokenReadFromKeyVaultIsNeverDue() {
        Onboarding fromVault = minted(NOW.minus(Duration.ofDays(90))).cloudflareTokenId(null)
            .desired(new DesiredState(null, List.of(), List.of(), true, null,
                "https://contoso-scim.vault.azure.net/secrets/cf-token", false, null))
            .build();

        assertFalse(runner.due(fromVault, NOW));
    }

    @Test
    void aFailedRotationIsTriedAgainOnlyAfterADay() {
        Onboarding.Builder failed = minted(NOW.minus(Duration.ofDays(40)));

        assertFalse(runner.due(failed.tokenRotation(new TokenRotation(TokenRotation.FAILED, NOW.minusSeconds(3600),
            "t1", "ScimTokenRejected", "rejected")).build(), NOW));
        assertTrue(runner.due(failed.tokenRotation(new TokenRotation(TokenRotation.FAILED,
            NOW.minus(Duration.ofDays(1)), "t1", "ScimTokenRejected", "rejected")).build(), NOW));
    }

    @Test
    void rotationIsOffUntilTheMaximumAgeIsSet() {
        assertEquals(Optional.empty(), Settings.of(Map.of()).tokenRotationMaxAge());
        assertEquals(Optional.of(Duration.ofDays(90)),
            Settings.of(Map.of("TOKEN_ROTATION_MAX_AGE_DAYS", "90")).tokenRotationMaxAge());
        assertThrows(IllegalStateException.class,
            () -> Settings.of(Map.of("TOKEN_ROTATION_MAX_AGE_DAYS", "0")).tokenRotationMaxAge());
        RotationRunner off = new RotationRunner(null, null, (text, delay) -> { }, Optional.empty(),
            Duration.ofMinutes(15), Clock.systemUTC());
        assertEquals(0, off.schedule("test"), "an off rotation reads nothing and sends nothing");
    }

    @Test
    void aMessageThatIsNotARotationMessageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RotationRunner.read("{\"accountId\":\"a\"}"));
        assertThrows(IllegalArgumentException.class, () -> RotationRunner.read("not json"));
    }

    private static Onboarding.Builder minted(Instant mintedAt) {
        return new Onboarding.Builder()
            .accountId("0123456789abcdef0123456789abcdef")
            .state(OnboardingState.SUCCEEDED)
            .runId("run-1")
            .desired(new DesiredState(null, List.of(), List.of(), true, null, null, false, null))
            .cloudflareTokenId("t1")
            .tokenMintedAt(mintedAt);
    }
}
