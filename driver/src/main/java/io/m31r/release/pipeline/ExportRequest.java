package io.m31r.release.pipeline;

import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.version.Semver;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One {@code m31r export}: which version of which type, from the inputs the config names.
 *
 * @param baseDir the folder relative paths of the release section are resolved against
 * @param launcher how to start this tool again in a child process ({@code {m31r}} in the rebuild command)
 */
public record ExportRequest(
    Semver version, ReleaseType type, ReleaseConfig config, Path baseDir, String toolVersion, java.util.List<String> launcher) {
  public ExportRequest {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(baseDir, "baseDir");
    launcher = java.util.List.copyOf(launcher);
  }

  public ReleaseSettings settings() {
    return config.requireRelease("export");
  }

  public String tag() {
    return "v" + version;
  }
}
