package io.m31r.release.signing;

import io.m31r.release.failure.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Loads a private key from a file or from an environment variable holding PEM text. Only the file
 * name or the variable name ever appears in a message.
 */
public final class KeySource {
  private final Function<String, String> env;

  public KeySource(Function<String, String> env) {
    this.env = env;
  }

  public static KeySource system() {
    return new KeySource(System::getenv);
  }

  /**
   * The key named by {@code file} (relative to {@code baseDir}) or {@code envName}; empty when the
   * variable is unset or empty. A named file that is missing is an error, as is an unreadable key.
   */
  public Optional<SigningKey> load(String configKey, String file, String envName, Path baseDir) {
    if (file != null) {
      Path p = baseDir.resolve(file).toAbsolutePath().normalize();
      try {
        return Optional.of(SigningKey.fromPem(Files.readAllBytes(p), "config " + configKey + ".private_key_file " + p));
      } catch (NoSuchFileException e) {
        throw new BadInputException("config " + configKey + ".private_key_file: no file at " + p);
      } catch (IOException e) {
        throw new BadInputException("config " + configKey + ".private_key_file: cannot read " + p + ": " + e.getClass().getSimpleName());
      }
    }
    if (envName != null) {
      String text = env.apply(envName);
      if (text == null || text.isBlank()) {
        return Optional.empty();
      }
      return Optional.of(SigningKey.fromPem(text.getBytes(StandardCharsets.US_ASCII),
          "config " + configKey + ".private_key_env: environment variable " + envName));
    }
    return Optional.empty();
  }
}
