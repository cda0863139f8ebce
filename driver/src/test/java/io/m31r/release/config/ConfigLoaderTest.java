package io.m31r.release.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final String VALID =
      "config_version: 1\nfreeze:\n  buffer_bytes: 32768\n  tasks_per_core: 2\n  progress_interval_seconds: 5\n  min_task_bytes: 1\n";

  private static ReleaseConfig parse(String yaml) {
    return new ConfigLoader().parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheShippedConfig() {
    ReleaseConfig c = new ConfigLoader().load(Path.of("..", "conf", "release.yaml"));
    assertEquals(ReleaseConfig.DEFAULTS, c);
  }

  @Test
  void readsAValidConfig() {
    ReleaseConfig c = parse(VALID + "hadoop:\n  fs.s3a.endpoint: \"http://127.0.0.1:9000\"\n");
    assertEquals(new FreezeSettings(32768, 2, 5, 1), c.freeze());
    assertEquals("http://127.0.0.1:9000", c.hadoop().get("fs.s3a.endpoint"));
  }

  /** Each bad file is refused with exit 2 and a message naming the key path. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown top-level key   | config_version: 1\\nfreeze: {buffer_bytes: 4096, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1}\\nextra: 1 | extra: unknown key",
        "unknown nested key      | config_version: 1\\nfreeze: {buffer_bytes: 4096, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1, speed: 3} | freeze.speed: unknown key",
        "wrong type (string)     | config_version: 1\\nfreeze: {buffer_bytes: \"4096\", tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1} | freeze.buffer_bytes: wrong type",
        "wrong type (list)       | config_version: 1\\nfreeze: [1, 2] | freeze: wrong type",
        "wrong type (float)      | config_version: 1\\nfreeze: {buffer_bytes: 4096.5, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1} | freeze.buffer_bytes: wrong type",
        "missing required key    | config_version: 1 | freeze: missing required key",
        "missing nested key      | config_version: 1\\nfreeze: {buffer_bytes: 4096, tasks_per_core: 1, min_task_bytes: 1} | freeze.progress_interval_seconds: missing required key",
        "missing version         | freeze: {buffer_bytes: 4096, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1} | config_version: missing required key",
        "anchor                  | config_version: 1\\nfreeze: &f {buffer_bytes: 4096, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1} | at freeze: YAML anchors are not allowed",
        "alias                   | config_version: 1\\nbase: &b 4096\\nfreeze: {buffer_bytes: *b, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1} | YAML a",
        "duplicate key           | config_version: 1\\nconfig_version: 1\\nfreeze: {buffer_bytes: 4096, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1} | Duplicate field 'config_version'",
        "out of range            | config_version: 1\\nfreeze: {buffer_bytes: 1048576, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1} | freeze.buffer_bytes: 1048576 is outside",
        "unsupported version     | config_version: 2\\nfreeze: {buffer_bytes: 4096, tasks_per_core: 1, progress_interval_seconds: 1, min_task_bytes: 1} | config_version: 2 is not supported",
        "not yaml                | config_version: [1 | not valid YAML",
        "null section            | config_version: 1\\nfreeze: ~ | freeze: missing required key",
      })
  void refusesBadConfig(String name, String yaml, String expected) {
    BadInputException e = assertThrows(BadInputException.class, () -> parse(yaml.replace("\\n", "\n")));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    assertTrue(e.getMessage().contains("test.yaml"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
  }

  @Test
  void missingFileIsBadInput() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> new ConfigLoader().load(Path.of("no-such-release.yaml")));
    assertTrue(e.getMessage().contains("no-such-release.yaml: file not found"), e.getMessage());
  }
}
