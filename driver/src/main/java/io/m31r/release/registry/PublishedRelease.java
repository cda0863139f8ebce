package io.m31r.release.registry;

import io.m31r.release.version.Semver;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/** A release made visible by {@link ReleasePublisher}. */
public record PublishedRelease(Semver version, Path dir, boolean experimental) {
  public PublishedRelease {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(dir, "dir");
  }
}
