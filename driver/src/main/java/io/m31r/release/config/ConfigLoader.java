package io.m31r.release.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ReleaseException;
import io.m31r.release.formats.StrictMappers;
import io.m31r.release.formats.YamlAliases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code release.yaml} strictly: unknown keys, wrong types, duplicate keys, missing
 * required keys and YAML anchors or aliases are all refused with the offending key path.
 *
 * <p>Anchors and aliases are refused because Jackson does not resolve them: an alias would be read
 * as its anchor's name, silently, as a plain string.
 */
public final class ConfigLoader {
  private static final Pattern MISSING_PROPERTY =
      Pattern.compile("Missing required creator property '([^']+)'");

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
    } catch (ValueInstantiationException e) {
      if (e.getCause() instanceof ReleaseException re) {
        throw new BadInputException(re.getMessage() + " (in " + source + ")");
      }
      throw new BadInputException(describe(source, e));
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
    StringBuilder path = new StringBuilder();
    if (e instanceof JsonMappingException jme) {
      for (JsonMappingException.Reference ref : jme.getPath()) {
        if (ref.getFieldName() != null) {
          if (path.length() > 0) {
            path.append('.');
          }
          path.append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
    }
    String original = e.getOriginalMessage();
    String what;
    Matcher missing = MISSING_PROPERTY.matcher(original);
    if (missing.find()) {
      String name = missing.group(1);
      if (!path.toString().equals(name) && !path.toString().endsWith("." + name)) {
        path.append(path.length() > 0 ? "." : "").append(name);
      }
      what = "missing required key";
    } else if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) {
      what = "unknown key";
    } else if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
      what = "wrong type, expected " + typeName(mie.getTargetType());
    } else {
      what = original.lines().findFirst().orElse(original);
    }
    String where = path.length() == 0 ? "" : " " + path;
    return "config " + source + where + ": " + what;
  }

  private static String typeName(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return type.getSimpleName();
  }
}
