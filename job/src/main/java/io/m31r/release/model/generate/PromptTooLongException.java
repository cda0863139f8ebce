package io.m31r.release.model.generate;

import io.m31r.release.failure.BadInputException;

/**
 * The prompt does not fit the model's context window. It is refused rather than truncated: cutting
 * a code prompt silently changes the task and makes its score meaningless.
 */
public final class PromptTooLongException extends BadInputException {
  public PromptTooLongException(int promptTokens, int contextLength) {
    super(
        "prompt is " + promptTokens + " tokens but the model's context window is " + contextLength
            + "; shorten the prompt");
  }
}
