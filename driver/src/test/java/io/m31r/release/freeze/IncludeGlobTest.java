package io.m31r.release.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.m31r.release.failure.BadInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IncludeGlobTest {
  @ParameterizedTest
  @CsvSource({
    "*.bin, a.bin, true",
    "*.bin, x/a.bin, false",
    "**/*.bin, a.bin, true",
    "**/*.bin, x/y/a.bin, true",
    "**/*.bin, x/y/a.json, false",
    "tokens/**, tokens/a/b.bin, true",
    "tokens/**, text/a.bin, false",
    "shard_000?.json, shard_0007.json, true",
    "shard_000?.json, shard_00071.json, false",
    "shard_[0-1].bin, shard_1.bin, true",
    "shard_[!0-1].bin, shard_1.bin, false",
    "'*.{bin,json}', a.json, true",
    "'*.{bin,json}', a.jsonl, false",
    "a+b(c).bin, a+b(c).bin, true",
  })
  void matches(String glob, String path, boolean expected) {
    assertEquals(expected, IncludeGlob.compile(glob).matches(path));
  }

  @ParameterizedTest
  @CsvSource({"'*.{bin', unclosed '{'", "'a}', unbalanced '}'", "'[ab', unclosed '['"})
  void refusesMalformedGlobs(String glob, String why) {
    BadInputException e = assertThrows(BadInputException.class, () -> IncludeGlob.compile(glob));
    assertEquals("--include '" + glob + "': " + why, e.getMessage());
  }
}
