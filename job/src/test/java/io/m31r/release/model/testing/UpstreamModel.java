package io.m31r.release.model.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real upstream checkpoint, when the machine has it: system property {@code m31r.upstreamModel},
 * by default {@code ../../shared/upstream-model} from the job module directory (Maven's working
 * directory for tests). Tests that need it are skipped where it is absent.
 */
public final class UpstreamModel {
  private UpstreamModel() {}

  public static Optional<Path> directory() {
    Path dir = Path.of(System.getProperty("m31r.upstreamModel", "../../shared/upstream-model"));
    return Files.isRegularFile(dir.resolve("model.safetensors")) ? Optional.of(dir) : Optional.empty();
  }
}
