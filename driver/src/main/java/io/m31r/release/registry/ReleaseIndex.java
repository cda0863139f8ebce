package io.m31r.release.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code index.json} and {@code CURRENT}, always regenerated from the publish records (and the
 * withdrawals) under the root, never from the previous index, so they can be lost or raced without harm: a publisher whose rebuild lost a race
 * only sees its entry appear at the next rebuild.
 *
 * <p>Which release is current: the newest committed type A release, except after a rollback.
 * {@link #pinCurrent} records the rolled-back-to version together with the newest type A release
 * existing at that moment ({@code CURRENT.pin}); rebuilds keep the pinned version until a type A
 * release newer than that one is published, which moves CURRENT forward again. So a rollback is
 * never undone silently by a rebuild, and a later release still supersedes it.
 */
public final class ReleaseIndex {
  /** The rollback pin: the version rolled back to, and the newest type A release at that time. */
  public record Pin(Semver version, Semver newestTypeA) {
    public Pin {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(newestTypeA, "newestTypeA");
    }
  }

  public void rebuild(ReleaseRoot root) {
    List<ReleaseEntry> entries = root.list();
    Optional<Pin> pin = readPin(root);
    Optional<Semver> current = chooseCurrent(entries, pin);
    ControlFiles files = new ControlFiles(root.conf());
    files.replace(root.indexFile(), render(entries, current, pin));
    if (current.isPresent()) {
      files.replace(root.currentFile(), (current.get() + "\n").getBytes(StandardCharsets.UTF_8));
    } else {
      // The last eligible release was withdrawn: no CURRENT is better than one naming it.
      files.delete(root.currentFile());
    }
  }

  /** Makes {@code version} current until a newer type A release than today's newest is published. */
  public void pinCurrent(ReleaseRoot root, Semver version) {
    List<ReleaseEntry> entries = root.list();
    ReleaseEntry target = entries.stream().filter(e -> e.version().equals(version)).findFirst()
        .orElseThrow(() -> root.notARelease(version));
    if (target.withdrawn().isPresent()) {
      throw new BadInputException("release " + version + " was withdrawn (" + target.withdrawn().get() + "); it can never be current");
    }
    if (!target.canBeCurrent()) {
      throw new BadInputException(
          "release " + version + " is type " + target.type() + (target.experimental() ? " (experimental)" : "")
              + "; only type A releases can be current");
    }
    Semver newest = newestTypeA(entries).orElseThrow().version();
    Pin pin = new Pin(version, newest);
    new ControlFiles(root.conf()).replace(root.pinFile(), CanonicalJson.bytes(pinNode(pin)));
    rebuild(root);
  }

  /** The canonical {@code index.json} bytes for these entries. */
  public byte[] render(List<ReleaseEntry> entries, Optional<Semver> current, Optional<Pin> pin) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    if (current.isPresent()) {
      root.put("current", current.get().toString());
    } else {
      root.putNull("current");
    }
    if (pin.isPresent()) {
      root.set("pin", pinNode(pin.get()));
    } else {
      root.putNull("pin");
    }
    ArrayNode releases = root.putArray("releases");
    entries.stream().sorted(Comparator.comparing(ReleaseEntry::version)).forEach(e -> {
      ObjectNode n = releases.addObject();
      n.put("checksum_sha256", e.checksumSha256());
      n.put("date", e.date());
      n.put("experimental", e.experimental());
      n.put("model_hash", e.modelHash());
      n.put("path", e.path());
      n.put("signature_sha256", e.signatureSha256());
      ObjectNode side = n.putObject("sidecars");
      new java.util.TreeMap<>(e.sidecars()).forEach(side::put);
      n.put("trusted", e.trusted());
      n.put("type", e.type().name());
      n.put("version", e.version().toString());
      if (e.withdrawn().isPresent()) {
        n.put("withdrawn", e.withdrawn().get());
      } else {
        n.putNull("withdrawn");
      }
    });
    return CanonicalJson.bytes(root);
  }

  static Optional<Semver> chooseCurrent(List<ReleaseEntry> entries, Optional<Pin> pin) {
    Optional<ReleaseEntry> newest = newestTypeA(entries);
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    if (pin.isPresent()) {
      Pin p = pin.get();
      boolean pinnedStillEligible = entries.stream().anyMatch(e -> e.version().equals(p.version()) && e.canBeCurrent());
      boolean nothingNewer = newest.get().version().compareTo(p.newestTypeA()) <= 0;
      if (pinnedStillEligible && nothingNewer) {
        return Optional.of(p.version());
      }
    }
    return Optional.of(newest.get().version());
  }

  private static Optional<ReleaseEntry> newestTypeA(List<ReleaseEntry> entries) {
    return entries.stream().filter(ReleaseEntry::canBeCurrent).max(Comparator.comparing(ReleaseEntry::version));
  }

  public Optional<Pin> readPin(ReleaseRoot root) {
    Optional<byte[]> bytes = new ControlFiles(root.conf()).read(root.pinFile());
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode n = CanonicalJson.mapper().readTree(bytes.get());
      if (n == null || !n.isObject() || n.size() != 2 || !n.path("version").isTextual() || !n.path("newest_type_a").isTextual()) {
        throw new IntegrityException(root.pinFile() + " is not {\"newest_type_a\", \"version\"}");
      }
      return Optional.of(new Pin(Semver.parse(n.get("version").textValue()), Semver.parse(n.get("newest_type_a").textValue())));
    } catch (IOException | BadInputException e) {
      throw new IntegrityException(root.pinFile() + " is corrupted: " + e.getMessage(), e);
    }
  }

  private static ObjectNode pinNode(Pin pin) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("newest_type_a", pin.newestTypeA().toString());
    n.put("version", pin.version().toString());
    return n;
  }
}
