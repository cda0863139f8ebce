package io.m31r.release.tasks.bench;

import java.io.Serializable;

/**
 * One generated completion and what producing it cost. Timings are per task's batch of samples:
 * every sample of a task carries its batch's time to first token and ms per generated token.
 *
 * @param msPerToken null when the batch generated no token after the first
 * @param peakRssBytes the executor's peak resident memory after the batch, or null where unknown
 * @param promptTooLong the task's prompt does not fit the model's context window: the completion
 *     is empty, and the sample is judged (and fails) like any other, because the model cannot
 *     solve a task it cannot read; the report counts such tasks
 */
public record GeneratedSample(
    String taskId, int index, String completion, int generatedTokens, double ttftMs, Double msPerToken,
    Long peakRssBytes, String modelSha256, boolean promptTooLong) implements Serializable {}
