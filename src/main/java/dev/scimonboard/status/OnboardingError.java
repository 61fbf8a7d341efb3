package dev.scimonboard.status;

/**
 * Why an onboarding failed.
 *
 * @param step the step that failed
 * @param code a short machine-readable code
 * @param message what went wrong and what to do, for a person
 */
public record OnboardingError(String step, String code, String message) {
}
