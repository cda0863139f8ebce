package io.m31r.release.registry;

import java.util.Objects;
import org.apache.hadoop.fs.Path;

/** A release made visible by {@link ReleasePublisher}. */
public record PublishedRelease(String version, Path dir, boolean experimental) {
  public PublishedRelease {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(dir, "dir");
  }
}
