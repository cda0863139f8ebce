package io.m31r.release.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks {@code list} and {@code verify} make of a root's control files before trusting it: an
 * {@code index.json} that is not an index, or a {@code CURRENT} naming no release (or a withdrawn
 * one), is an integrity failure (exit 4) naming the file. A merely stale index (an entry missing
 * after a lost race) is not: rebuilds catch up.
 */
public final class RootHealth {
  public void check(ReleaseRoot root, List<ReleaseEntry> entries) {
    Set<String> versions = entries.stream().map(e -> e.version().toString()).collect(Collectors.toSet());
    Optional<byte[]> index = new ControlFiles(root.conf()).read(root.indexFile());
    if (index.isPresent()) {
      JsonNode n;
      try {
        n = CanonicalJson.mapper().readTree(index.get());
      } catch (IOException e) {
        throw new IntegrityException(root.indexFile() + " is not JSON: " + oneLine(e.getMessage()), e);
      }
      if (n == null || !n.isObject() || !n.path("releases").isArray() || !n.has("current")
          || !(n.get("current").isNull() || n.get("current").isTextual())) {
        throw new IntegrityException(root.indexFile() + " is not a release index ({current, pin, releases})");
      }
      for (JsonNode e : n.get("releases")) {
        if (!e.path("version").isTextual() || !ReleaseRoot.isVersion(e.get("version").textValue())) {
          throw new IntegrityException(root.indexFile() + " lists an entry without a valid version");
        }
      }
      if (n.get("current").isTextual() && !versions.contains(n.get("current").textValue())) {
        throw new IntegrityException(root.indexFile() + " names current " + n.get("current").textValue() + ", which is not a release here");
      }
    }
    Optional<Semver> current = root.current();
    if (current.isPresent()) {
      Optional<ReleaseEntry> entry = entries.stream().filter(e -> e.version().equals(current.get())).findFirst();
      if (entry.isEmpty()) {
        throw new IntegrityException(root.currentFile() + " names " + current.get() + ", which is not a release here");
      }
      if (!entry.get().canBeCurrent()) {
        throw new IntegrityException(root.currentFile() + " names " + current.get() + ", which can never be current"
            + entry.get().withdrawn().map(r -> " (withdrawn: " + r + ")").orElse(""));
      }
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
