package dev.scimonboard.status;

import java.time.Instant;

/**
 * One line in an onboarding's history: a step's outcome on one attempt.
 *
 * @param step the step, such as {@code create-app}
 * @param outcome {@code completed}, {@code waiting}, {@code retrying} or {@code failed}
 * @param attempt the attempt number within the step, from 1
 * @param at when it happened
 * @param detail what happened, for a person; never a secret
 */
public record HistoryEntry(String step, String outcome, int attempt, Instant at, String detail) {
}
