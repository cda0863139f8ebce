package io.m31r.release.logging;

/** Severity of an event; the names match log4j's, so Spark's JSON logs and ours filter alike. */
public enum Level {
  INFO,
  WARN,
  ERROR
}
