package io.m31r.release.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    YAMLFactory factory =
        YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    YAMLMapper m =
        YAMLMapper.builder(factory)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    // A quoted "4" must not become the number 4, nor 4 the string "4": types are part of the schema.
    m.coercionConfigDefaults()
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(String.class)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    // A whole number where a real is expected (max_ms_per_token: 50) loses nothing.
    m.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Float)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    this.mapper = m;
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
    try (JsonParser p = mapper.getFactory().createParser(yaml)) {
      YAMLParser yp = (YAMLParser) p;
      JsonToken t;
      while ((t = yp.nextToken()) != null) {
        if (yp.isCurrentAlias()) {
          throw new BadInputException(
              "config " + source + " at " + keyPath(yp) + ": YAML aliases are not allowed");
        }
        if (t != JsonToken.FIELD_NAME && yp.getObjectId() != null) {
          throw new BadInputException(
              "config " + source + " at " + keyPath(yp) + ": YAML anchors are not allowed");
        }
      }
    } catch (JsonProcessingException e) {
      var where = e.getLocation();
      throw new BadInputException(
          "config " + source + ": not valid YAML: "
              + e.getOriginalMessage().lines().findFirst().orElse("")
              + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new BadInputException("config " + source + ": " + e.getMessage());
    }
  }

  private static String keyPath(JsonParser p) {
    String pointer = p.getParsingContext().pathAsPointer().toString();
    return pointer.isEmpty() ? "(top level)" : pointer.substring(1).replace('/', '.');
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
