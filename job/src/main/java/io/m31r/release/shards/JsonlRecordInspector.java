package io.m31r.release.shards;

import java.util.Map;

/**
 * Counts JSONL records as lines holding something other than blanks; a last line without a
 * newline still counts. It does not parse the JSON: that would cost more than the hash itself.
 */
final class JsonlRecordInspector implements ShardInspector {
  private long records;
  private boolean lineHasContent;

  @Override
  public void update(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (lineHasContent) {
          records++;
        }
        lineHasContent = false;
      } else if (b != ' ' && b != '\t' && b != '\r') {
        lineHasContent = true;
      }
    }
  }

  @Override
  public Map<String, Long> counts(long totalBytes) {
    return Map.of("records", records + (lineHasContent ? 1 : 0));
  }
}
