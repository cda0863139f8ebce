package io.m31r.release.cli;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.StrictUtf8;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.model.LoadedModel;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.model.generate.Completion;
import io.m31r.release.model.generate.GenerationRequest;
import io.m31r.release.model.generate.GenerationResult;
import io.m31r.release.model.generate.Generator;
import io.m31r.release.model.runtime.DeviceSpec;
import io.m31r.release.model.runtime.DjlSetup;
import io.m31r.release.model.runtime.PeakRss;
import io.m31r.release.model.runtime.Precision;
import io.m31r.release.model.runtime.RuntimeOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code m31r generate}: loads a model bundle (verified against its checksum.txt unless
 * {@code --unverified}) and prints completions of one prompt. Failures propagate as
 * {@link io.m31r.release.failure.ReleaseException}s for the main command to map to exit codes.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generate completions of one prompt with a model bundle (model.safetensors, tokenizer.json,"
          + " config.yaml and checksum.txt).",
      "Sampling is reproducible: each sample's random stream is derived from --seed, the prompt and"
          + " the sample index."
    })
public final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model bundle directory.")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  PromptSource prompt;

  static final class PromptSource {
    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt text.")
    String text;

    @Option(names = "--prompt-file", paramLabel = "FILE", description = "Read the prompt from a UTF-8 file.")
    Path file;
  }

  @Option(names = "--max-tokens", defaultValue = "64", paramLabel = "N", description = "New tokens per sample at most (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Mixin SamplingOptions sampling;

  @Option(names = "--samples", defaultValue = "1", paramLabel = "N", description = "Completions to generate, decoded as one batch (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--stop", paramLabel = "STR", description = "Stop string (repeatable); the completion is cut before it.")
  List<String> stops = new ArrayList<>();

  @Option(names = "--json", description = "Print one canonical JSON object with completions and timings.")
  boolean json;

  @Option(names = "--unverified", description = "Load a bundle that has no checksum.txt.")
  boolean unverified;

  @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu[:N]", description = "Device for the forward pass (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|fp16", description = "fp16 is accepted on a GPU only (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "CPU threads per tensor op (default: ${DEFAULT-VALUE}; more helps large batches on an idle machine only).")
  int threads;

  @Override
  public Integer call() {
    if (threads < 1) {
      throw new BadInputException("--threads must be >= 1: " + threads);
    }
    DjlSetup.defaultThreads(threads);
    RuntimeOptions options = new RuntimeOptions(DeviceSpec.parse(device), Precision.parse(precision));
    GenerationRequest request =
        new GenerationRequest(
            promptText(), maxTokens, sampling.params(0), sampling.seed, samples, stops);
    ModelBundle bundle = ModelBundle.open(model, unverified);
    PrintWriter err = spec.commandLine().getErr();
    if (!bundle.verified()) {
      err.println("warning: " + model + " has no checksum.txt; its files were not verified");
      err.flush();
    }
    GenerationResult result;
    try (LoadedModel loaded = LoadedModel.load(bundle, options)) {
      result = Generator.generate(loaded, request);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.print(CanonicalJson.string(report(bundle, result)));
    } else {
      List<Completion> completions = result.completions();
      for (int i = 0; i < completions.size(); i++) {
        if (completions.size() > 1) {
          out.println("=== sample " + i + " ===");
        }
        out.println(completions.get(i).text());
      }
    }
    out.flush();
    return 0;
  }

  private static Map<String, Object> report(ModelBundle bundle, GenerationResult result) {
    Map<String, Object> report = new LinkedHashMap<>();
    List<String> texts = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Completion c : result.completions()) {
      texts.add(c.text());
      reasons.add(c.finishReason().name().toLowerCase(java.util.Locale.ROOT));
    }
    report.put("completions", texts);
    report.put("finish_reasons", reasons);
    report.put("prompt_tokens", result.promptTokens());
    report.put("generated_tokens", result.generatedTokens());
    report.put("ttft_ms", result.ttftMs());
    report.put("ms_per_token", result.msPerToken());
    report.put("peak_rss_bytes", PeakRss.bytes().isPresent() ? PeakRss.bytes().getAsLong() : null);
    report.put("model_sha256", bundle.modelSha256());
    report.put("verified", bundle.verified());
    return report;
  }

  private String promptText() {
    if (prompt.text != null) {
      return prompt.text;
    }
    try {
      return StrictUtf8.decode(Files.readAllBytes(prompt.file))
          .orElseThrow(() -> new BadInputException("prompt file " + prompt.file + " is not valid UTF-8"));
    } catch (NoSuchFileException e) {
      throw new BadInputException("prompt file " + prompt.file + " does not exist", e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read prompt file " + prompt.file + ": " + e.getMessage(), e);
    }
  }
}
