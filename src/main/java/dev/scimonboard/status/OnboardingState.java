package dev.scimonboard.status;

import java.util.Locale;

/** Where an onboarding stands. */
public enum OnboardingState {
    /** Accepted; the first step has not started yet. */
    QUEUED,
    /** A step is working or waiting to try again. */
    RUNNING,
    /** Every step completed; the account is provisioned from Entra. */
    SUCCEEDED,
    /** A step failed for a reason that trying again would not fix; see the error. */
    FAILED,
    /** Offboarding was asked for; its steps are removing the job, the application and the tokens. */
    DELETING,
    /** Offboarded: the job, the application and the minted tokens are gone. */
    DELETED;

    /** The name used in documents and queries, such as {@code running}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the onboarding has ended, one way or the other. */
    public boolean ended() {
        return this == SUCCEEDED || this == FAILED || this == DELETED;
    }

    /**
     * The state with the given wire name.
     *
     * @param wireName such as {@code failed}
     * @return the state
     * @throws IllegalArgumentException when no state has that name
     */
    public static OnboardingState fromWireName(String wireName) {
        for (OnboardingState state : values()) {
            if (state.wireName().equals(wireName)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown state " + wireName);
    }
}
