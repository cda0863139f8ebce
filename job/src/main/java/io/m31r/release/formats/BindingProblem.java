package io.m31r.release.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What went wrong when a strict mapper ({@link StrictMappers}) bound a document to a record, as
 * the file's own key path ({@code tests.errors}, {@code shards[1].size}) instead of Jackson's
 * message, which names Java classes. Each format words the problem for its users; this only finds it.
 *
 * @param path the dotted key path from the document's top; empty for the top itself
 * @param expected for {@link Kind#WRONG_TYPE}, the type the schema has there; otherwise null
 * @param refusal for {@link Kind#REFUSED}, what the record's constructor threw; otherwise null
 * @param detail Jackson's own first line, for {@link Kind#OTHER}
 */
public record BindingProblem(Kind kind, String path, Class<?> expected, RuntimeException refusal, String detail) {

  public enum Kind {
    /** A key the schema does not have. */
    UNKNOWN_KEY,
    /** A required key is absent. */
    MISSING_KEY,
    /** A value of the wrong JSON type, or a number out of the field's range. */
    WRONG_TYPE,
    /** The value had the right shape but the record refused it: {@link #refusal()} says why. */
    REFUSED,
    /** Anything else Jackson reports. */
    OTHER
  }

  private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']+)'");

  public static BindingProblem of(JsonProcessingException e) {
    StringBuilder path = new StringBuilder();
    if (e instanceof JsonMappingException jme) {
      for (JsonMappingException.Reference ref : jme.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() > 0 ? "." : "").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
    }
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    String firstLine = original.lines().findFirst().orElse(original);
    Matcher missing = MISSING.matcher(original);
    if (missing.find()) {
      String name = missing.group(1);
      if (!path.toString().equals(name) && !path.toString().endsWith("." + name)) {
        path.append(path.length() > 0 ? "." : "").append(name);
      }
      return new BindingProblem(Kind.MISSING_KEY, path.toString(), null, null, firstLine);
    }
    if (e instanceof UnrecognizedPropertyException) {
      return new BindingProblem(Kind.UNKNOWN_KEY, path.toString(), null, null, firstLine);
    }
    RuntimeException refusal = refusal(e);
    if (refusal != null) {
      return new BindingProblem(Kind.REFUSED, path.toString(), null, refusal, firstLine);
    }
    if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
      return new BindingProblem(Kind.WRONG_TYPE, path.toString(), mie.getTargetType(), null, firstLine);
    }
    if (e.getCause() instanceof InputCoercionException ice && ice.getTargetType() != null) {
      return new BindingProblem(Kind.WRONG_TYPE, path.toString(), ice.getTargetType(), null, firstLine);
    }
    return new BindingProblem(Kind.OTHER, path.toString(), null, null, firstLine);
  }

  /** The exception a record's constructor or factory threw, however deep Jackson wrapped it. */
  private static RuntimeException refusal(Throwable e) {
    if (!(e instanceof JsonMappingException)) {
      return null;
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof RuntimeException re) {
        return re;
      }
    }
    return null;
  }

  /** The path with {@code key} appended, as a document of this schema would spell it. */
  public String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A plain name for {@link #expected()} in YAML's words: "an integer", "a mapping", "one of A, B", ... */
  public String expectedName() {
    return expectedName("a mapping", "a list");
  }

  /** As {@link #expectedName()}, in JSON's words: "a JSON object", "a JSON array". */
  public String expectedJsonName() {
    return expectedName("a JSON object", "a JSON array");
  }

  private String expectedName(String mapping, String list) {
    Class<?> type = expected;
    if (type == null) {
      return "another type";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", "));
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord() || JsonNode.class.isAssignableFrom(type)) {
      return mapping;
    }
    if (List.class.isAssignableFrom(type)) {
      return list;
    }
    return type.getSimpleName();
  }
}
