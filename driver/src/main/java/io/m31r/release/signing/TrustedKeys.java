package io.m31r.release.signing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.formats.YamlAliases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The public keys a verifier trusts, each for a window of release dates. Read from a YAML file
 * (format in docs/signing.md) or from one PEM public key ({@code --public-key}, no window).
 */
public final class TrustedKeys {
  /** One trusted key; {@code validFrom}/{@code validUntil} bound the release dates it may sign. */
  public record TrustedKey(String name, ECPublicKey key, String hint, Optional<Instant> validFrom, Optional<Instant> validUntil) {
    /** Whether a release dated {@code date} falls in this key's window ({@code valid_until} excluded). */
    public boolean validAt(Instant date) {
      return validFrom.map(f -> !date.isBefore(f)).orElse(true) && validUntil.map(date::isBefore).orElse(true);
    }

    public String window() {
      return "valid from " + validFrom.map(Instant::toString).orElse("(any time)")
          + " until " + validUntil.map(Instant::toString).orElse("(no end)");
    }
  }

  record Entry(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty("valid_from") String validFrom,
      @JsonProperty("valid_until") String validUntil,
      @JsonProperty(value = "public_key", required = true) String publicKey) {}

  record FileContent(@JsonProperty(value = "keys", required = true) List<Entry> keys) {}

  // A trust decision must not rest on which of two duplicate keys Jackson happened to keep.
  private static final ObjectMapper YAML = StrictMappers.yamlBinding();

  private final List<TrustedKey> keys;
  private final String source;

  private TrustedKeys(List<TrustedKey> keys, String source) {
    this.keys = List.copyOf(keys);
    this.source = source;
  }

  public static TrustedKeys of(List<TrustedKey> keys, String source) {
    return new TrustedKeys(keys, source);
  }

  /** One PEM public key with no window ({@code --public-key KEY.pub}). */
  public static TrustedKeys publicKeyFile(Path pem) {
    String text = read(pem);
    ECPublicKey k = PemKeys.parsePublic(text, pem.toString());
    return new TrustedKeys(List.of(new TrustedKey(pem.getFileName().toString(), k, PemKeys.hint(k), Optional.empty(), Optional.empty())),
        pem.toString());
  }

  /** A trusted-keys YAML file; every entry is checked, names must be unique. */
  public static TrustedKeys file(Path file) {
    String text = read(file);
    rejectAnchorsAndAliases(file, text);
    FileContent content;
    try {
      content = YAML.readValue(text, FileContent.class);
    } catch (JsonProcessingException e) {
      throw new BadInputException("trusted keys " + file + ": " + e.getOriginalMessage().lines().findFirst().orElse("")
          + " (expected 'keys:' with name, public_key, optional valid_from/valid_until)");
    }
    if (content == null || content.keys() == null || content.keys().isEmpty()) {
      throw new BadInputException("trusted keys " + file + ": no keys");
    }
    List<TrustedKey> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < content.keys().size(); i++) {
      Entry e = content.keys().get(i);
      String where = "trusted keys " + file + " keys[" + i + "]";
      if (e.name() == null || e.name().isBlank() || !names.add(e.name())) {
        throw new BadInputException(where + ": name must be non-empty and unique");
      }
      ECPublicKey k = PemKeys.parsePublic(e.publicKey(), where + ".public_key");
      Optional<Instant> from = instant(e.validFrom(), where + ".valid_from");
      Optional<Instant> until = instant(e.validUntil(), where + ".valid_until");
      if (from.isPresent() && until.isPresent() && !from.get().isBefore(until.get())) {
        throw new BadInputException(where + ": valid_from must be before valid_until");
      }
      out.add(new TrustedKey(e.name(), k, PemKeys.hint(k), from, until));
    }
    return new TrustedKeys(out, file.toString());
  }

  public Optional<TrustedKey> byHint(String hint) {
    return keys.stream().filter(k -> k.hint().equals(hint)).findFirst();
  }

  public List<TrustedKey> all() {
    return keys;
  }

  public String source() {
    return source;
  }

  private static Optional<Instant> instant(String text, String where) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw new BadInputException(where + ": not an ISO-8601 UTC instant like 2026-01-01T00:00:00Z: " + text);
    }
  }

  private static void rejectAnchorsAndAliases(Path file, String text) {
    Optional<YamlAliases.Use> use;
    try {
      use = YamlAliases.first(YAML, text.getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new BadInputException("trusted keys " + file + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new BadInputException("trusted keys " + file + ": cannot be read: " + e.getMessage());
    }
    use.ifPresent(u -> {
      throw new BadInputException("trusted keys " + file + " at " + u.keyPath() + " (line " + u.line() + "): YAML "
          + (u.alias() ? "aliases" : "anchors") + " are not allowed");
    });
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadInputException("trusted keys " + file + ": file not found");
    } catch (IOException e) {
      throw new BadInputException("trusted keys " + file + ": cannot be read: " + e.getMessage());
    }
  }
}
