package io.ulm.winback.api;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/**
 * The event-time watermark passed a win-back's next step ({@code dueAt}): published by {@code WinbackSteps} from the
 * {@code winback_step} table, handled by the user's {@code WinbackSaga}. {@code step} is the index of the step due
 * (the arm's step count + 1: the outcome window's end).
 */
@Revision("1")
public record WinbackStepDue(String userId, String winbackId, int step, Instant dueAt) {
}
