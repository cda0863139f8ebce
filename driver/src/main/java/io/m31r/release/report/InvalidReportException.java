package io.m31r.release.report;

import io.m31r.release.failure.BadInputException;

/** A release report whose contents are missing, out of range or contradict each other. */
public final class InvalidReportException extends BadInputException {
  public InvalidReportException(String message) {
    super("report " + message);
  }
}
