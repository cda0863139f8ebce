package io.m31r.release.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.json.CanonicalJson;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who holds an export lease: a unique owner id, the host and process, when it was taken (the
 * wall clock: a lease is never part of a release), and the run's local work folder, so that the
 * run that finds the lease abandoned can remove that folder.
 */
public record LeaseHolder(String owner, String host, long pid, Instant acquiredAt, String workDir) {
  /**
   * A lease older than this is stale whoever holds it. Above the rebuild's 6 h cap plus the rest of
   * an export with a wide margin; a dead holder on this same host is recognised at once instead.
   */
  public static final Duration STALE_AFTER = Duration.ofHours(24);

  public byte[] bytes() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("acquired_at", acquiredAt.toString());
    n.put("host", host);
    n.put("owner", owner);
    n.put("pid", pid);
    n.put("work_dir", workDir);
    return CanonicalJson.bytes(n);
  }

  /** Empty for bytes that are not a lease (a torn or foreign file): callers decide by its age. */
  public static Optional<LeaseHolder> parse(byte[] bytes) {
    try {
      JsonNode n = CanonicalJson.mapper().readTree(bytes);
      if (n == null || !n.isObject() || !n.path("owner").isTextual() || !n.path("host").isTextual()
          || !n.path("pid").canConvertToLong() || !n.path("acquired_at").isTextual() || !n.path("work_dir").isTextual()) {
        return Optional.empty();
      }
      return Optional.of(new LeaseHolder(n.get("owner").textValue(), n.get("host").textValue(), n.get("pid").asLong(),
          Instant.parse(n.get("acquired_at").textValue()), n.get("work_dir").textValue()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Stale: older than {@link #STALE_AFTER}, or held by a process of this host that is gone. */
  public boolean isStale(Instant now, String thisHost) {
    if (acquiredAt.plus(STALE_AFTER).isBefore(now)) {
      return true;
    }
    return host.equals(thisHost) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  public String describe() {
    return owner + " (pid " + pid + " on " + host + ", since " + acquiredAt + ")";
  }
}
