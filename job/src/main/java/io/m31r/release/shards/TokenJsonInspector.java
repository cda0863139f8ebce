package io.m31r.release.shards;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.m31r.release.formats.StrictMappers;
import java.io.IOException;
import java.util.Map;

/**
 * Counts the integers of the top-level {@code "tokens"} array of an upstream token shard with
 * Jackson's non-blocking parser, fed the same chunks as the digest, so the shard is read once.
 * Anything else (another JSON file, such as the dataset's own {@code manifest.json}, or invalid
 * JSON) yields no counts.
 */
final class TokenJsonInspector implements ShardInspector {
  // Strict like every JSON input: a second "tokens" key would otherwise add its count to the first.
  private static final JsonFactory FACTORY = StrictMappers.json().getFactory();

  private final JsonParser parser;
  private long tokens;
  private boolean sawTokens;
  private boolean failed;
  private int depth;
  private boolean inTokens;

  TokenJsonInspector() {
    try {
      parser = FACTORY.createNonBlockingByteArrayParser();
    } catch (IOException e) {
      throw new IllegalStateException("Jackson could not create a non-blocking parser", e);
    }
  }

  @Override
  public void update(byte[] bytes, int offset, int length) {
    if (failed) {
      return;
    }
    try {
      // The feeder keeps a reference to the array until it is consumed: drain before returning,
      // because the caller reuses its buffer.
      ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(bytes, offset, offset + length);
      drain();
    } catch (IOException | RuntimeException e) {
      failed = true;
    }
  }

  private void drain() throws IOException {
    JsonToken t;
    while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
      switch (t) {
        case START_OBJECT, START_ARRAY -> {
          if (depth == 1 && t == JsonToken.START_ARRAY && "tokens".equals(parser.currentName())) {
            inTokens = true;
            sawTokens = true;
          }
          depth++;
        }
        case END_OBJECT, END_ARRAY -> {
          depth--;
          if (depth == 1) {
            inTokens = false;
          }
        }
        case VALUE_NUMBER_INT -> {
          if (inTokens && depth == 2) {
            tokens++;
          }
        }
        default -> {}
      }
    }
  }

  @Override
  public Map<String, Long> counts(long totalBytes) {
    if (failed) {
      return Map.of();
    }
    try {
      ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).endOfInput();
      drain();
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return sawTokens && depth == 0 ? Map.of("tokens", tokens) : Map.of();
  }
}
