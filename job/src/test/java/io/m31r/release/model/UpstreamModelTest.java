package io.m31r.release.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.generate.GenerationRequest;
import io.m31r.release.model.generate.GenerationResult;
import io.m31r.release.model.generate.Generator;
import io.m31r.release.model.generate.SamplingParams;
import io.m31r.release.model.runtime.RuntimeOptions;
import io.m31r.release.model.testing.UpstreamModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one model no one on this team wrote: a wrong RoPE or norm does not reproduce its memory. */
class UpstreamModelTest {
  @Test
  void greedyDecodingContinuesTheMemorisedAddFunction() {
    Optional<Path> dir = UpstreamModel.directory();
    assumeTrue(dir.isPresent(), "upstream model not on this machine");
    // The upstream folder ships without checksum.txt, hence the explicit unverified load.
    ModelBundle bundle = ModelBundle.open(dir.get(), true);
    try (LoadedModel model = LoadedModel.load(bundle, RuntimeOptions.CPU_FP32)) {
      GenerationResult r =
          Generator.generate(
              model,
              new GenerationRequest(
                  "fn add(a: i32, b: i32) -> i32 {", 12, SamplingParams.GREEDY, 0, 1, List.of()));
      String text = r.completions().get(0).text();
      assertTrue(text.startsWith(" a + b }"), "greedy continuation was: '" + text + "'");
      assertEquals(4, model.tokenizer().encode(" a + b }").length);
    }
  }
}
