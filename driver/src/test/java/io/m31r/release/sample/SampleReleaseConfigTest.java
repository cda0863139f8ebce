package io.m31r.release.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.FreezeSettings;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** release.yaml on its own, without a workspace: what YAML quoting must survive, and what is refused. */
class SampleReleaseConfigTest {
  @TempDir Path tmp;

  @Test
  void valuesThatNeedQuotingRoundTripThroughTheStrictLoader() throws Exception {
    String prompt = "fn quoted(s: &str) -> String {\n    \"a: b # c\" {x}\n";
    Path file = SampleReleaseConfig.write(tmp, prompt);
    String yaml = Files.readString(file);
    assertTrue(yaml.startsWith("# Release configuration of the M31R sample workspace"), yaml);
    assertTrue(yaml.contains("\n  architecture_compatibility: \"m31r-decoder-v1: RMSNorm, interleaved RoPE, causal MHA,"
        + " SwiGLU, tied embedding; safetensors F32\"\n"), "one line per value:\n" + yaml);
    var config = new ConfigLoader().load(file);
    assertEquals(FreezeSettings.DEFAULTS, config.freeze());
    ReleaseSettings r = config.requireRelease("export");
    assertEquals(prompt, r.smokePrompt());
    assertEquals(SampleReleaseConfig.REBUILD_COMMAND, r.rebuildCommand());
    assertEquals(List.of("checkpoint", "tokenizer.json", "config.yaml", "dataset", "benchmarks", "../release", "."),
        List.of(r.checkpoint(), r.tokenizer(), r.trainingConfig(), r.dataset(), r.suite(), r.root(), r.gitRepository()));
    assertEquals(SampleReleaseConfig.TEST_COMMAND, r.testCommand());
  }

  @Test
  void refusesAnEmptyPromptAndAnExistingFileWithoutWriting() throws Exception {
    assertThrows(BadInputException.class, () -> SampleReleaseConfig.write(tmp, " "));
    assertTrue(!Files.exists(tmp.resolve(SampleReleaseConfig.FILE)));
    Path existing = Files.writeString(tmp.resolve(SampleReleaseConfig.FILE), "mine\n");
    BadInputException e = assertThrows(BadInputException.class, () -> SampleReleaseConfig.write(tmp, "fn a() {\n"));
    assertEquals("sample release config " + existing + " already exists", e.getMessage());
    assertEquals("mine\n", Files.readString(existing));
  }
}
