package io.m31r.release.registry;

import io.m31r.release.version.Semver;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/** Where a committed release lives: {@code <root>/<version>} or {@code <root>/experiments/<version>}. */
public record ReleaseLocation(Semver version, Path dir, boolean experimental) {
  public ReleaseLocation {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(dir, "dir");
  }
}
