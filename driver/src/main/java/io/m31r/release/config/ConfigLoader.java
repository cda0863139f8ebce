package io.m31r.release.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ReleaseException;
import io.m31r.release.formats.BindingProblem;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.formats.YamlAliases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code release.yaml} strictly: unknown keys, wrong types, duplicate keys, missing
 * required keys and YAML anchors or aliases are all refused with the offending key path.
 *
 * <p>Anchors and aliases are refused because Jackson does not resolve them: an alias would be read
 * as its anchor's name, silently, as a plain string.
 */
public final class ConfigLoader {
  private final ObjectMapper mapper;

  public ConfigLoader() {
    this.mapper = StrictMappers.yamlBinding();
  }

  public ReleaseConfig load(Path file) {
    byte[] yaml;
    try {
      yaml = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException("config " + file + ": file not found");
    } catch (IOException e) {
      throw new BadInputException("config " + file + ": cannot be read: " + e.getMessage());
    }
    return parse(file.toString(), yaml);
  }

  public ReleaseConfig parse(String source, byte[] yaml) {
    rejectAnchorsAndAliases(source, yaml);
    try {
      ReleaseConfig config = mapper.readValue(yaml, ReleaseConfig.class);
      if (config == null) {
        throw new BadInputException("config " + source + ": the file is empty");
      }
      return config;
    } catch (JsonProcessingException e) {
      throw new BadInputException(describe(source, e));
    } catch (IOException e) {
      throw new BadInputException("config " + source + ": " + e.getMessage());
    }
  }

  private void rejectAnchorsAndAliases(String source, byte[] yaml) {
    Optional<YamlAliases.Use> use;
    try {
      use = YamlAliases.first(mapper, yaml);
    } catch (JsonProcessingException e) {
      var where = e.getLocation();
      throw new BadInputException(
          "config " + source + ": not valid YAML: "
              + e.getOriginalMessage().lines().findFirst().orElse("")
              + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new BadInputException("config " + source + ": " + e.getMessage());
    }
    use.ifPresent(u -> {
      throw new BadInputException(
          "config " + source + " at " + u.keyPath() + ": YAML " + (u.alias() ? "aliases" : "anchors") + " are not allowed");
    });
  }

  private static String describe(String source, JsonProcessingException e) {
    BindingProblem p = BindingProblem.of(e);
    if (p.kind() == BindingProblem.Kind.REFUSED && p.refusal() instanceof ReleaseException re) {
      return re.getMessage() + " (in " + source + ")";
    }
    String what =
        switch (p.kind()) {
          case MISSING_KEY -> "missing required key";
          case UNKNOWN_KEY -> "unknown key";
          case WRONG_TYPE -> "wrong type, expected " + p.expectedName();
          case REFUSED, OTHER -> p.detail();
        };
    return "config " + source + (p.path().isEmpty() ? "" : " " + p.path()) + ": " + what;
  }
}
