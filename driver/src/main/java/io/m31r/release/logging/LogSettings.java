package io.m31r.release.logging;

import io.m31r.release.failure.BadInputException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the event log is written, read from the environment: format {@code text} (default) or
 * {@code json}, and an optional file to append to instead of stderr. A system property wins over
 * the environment variable of the same setting, so {@code spark.driver.extraJavaOptions} can set it
 * where the environment cannot be changed.
 */
public record LogSettings(Format format, Optional<Path> file) {
  public static final String FORMAT_ENV = "M31R_LOG_FORMAT";
  public static final String FILE_ENV = "M31R_LOG_FILE";
  public static final String FORMAT_PROPERTY = "m31r.log.format";
  public static final String FILE_PROPERTY = "m31r.log.file";

  public enum Format {
    TEXT,
    JSON
  }

  public static final LogSettings DEFAULTS = new LogSettings(Format.TEXT, Optional.empty());

  public LogSettings {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(file, "file");
  }

  /**
   * Reads the settings from environment variables and system properties, without touching the
   * file system.
   *
   * @throws BadInputException naming the variable or property when a value is not valid
   */
  public static LogSettings read(Map<String, String> env, Map<String, String> properties) {
    Setting format = setting(env, properties, FORMAT_ENV, FORMAT_PROPERTY);
    Setting file = setting(env, properties, FILE_ENV, FILE_PROPERTY);
    Format f = Format.TEXT;
    if (format != null) {
      f = switch (format.value().strip().toLowerCase(Locale.ROOT)) {
        case "text" -> Format.TEXT;
        case "json" -> Format.JSON;
        default -> throw new BadInputException(
            format.name() + ": expected text or json, got '" + format.value() + "'");
      };
    }
    Optional<Path> p = Optional.empty();
    if (file != null) {
      try {
        p = Optional.of(Path.of(file.value()));
      } catch (InvalidPathException e) {
        throw new BadInputException(file.name() + ": not a valid path: " + e.getMessage(), e);
      }
    }
    return new LogSettings(f, p);
  }

  private record Setting(String name, String value) {}

  /** The property if set, else the variable; blank counts as unset. */
  private static Setting setting(Map<String, String> env, Map<String, String> properties, String var, String prop) {
    String p = properties.get(prop);
    if (p != null && !p.isBlank()) {
      return new Setting(prop, p);
    }
    String v = env.get(var);
    if (v != null && !v.isBlank()) {
      return new Setting(var, v);
    }
    return null;
  }
}
