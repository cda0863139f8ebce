package io.m31r.release.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.metrics.BaselineReport;
import io.m31r.release.metrics.BenchMetrics;
import io.m31r.release.metrics.EvaluatedSample;
import io.m31r.release.metrics.GateCheck;
import io.m31r.release.metrics.KExceedsSamplesException;
import io.m31r.release.metrics.MetricsCalculator;
import io.m31r.release.metrics.ReleaseGates;
import io.m31r.release.metrics.TaskOutcomes;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.sandbox.Isolation;
import io.m31r.release.sandbox.RustToolchain;
import io.m31r.release.sandbox.SampleStatus;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.storage.AtomicFiles;
import io.m31r.release.suite.AssembledProgram;
import io.m31r.release.suite.BenchSuite;
import io.m31r.release.suite.BenchTask;
import io.m31r.release.suite.ProgramAssembler;
import io.m31r.release.suite.SuiteLoader;
import io.m31r.release.tasks.bench.GeneratedSample;
import io.m31r.release.tasks.bench.GenerationSettings;
import io.m31r.release.tasks.bench.JudgedSample;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark stage end to end: every check that can fail on input runs before any program is
 * compiled (suite, rustc, samples file, k against n, baseline suite digest); then the distinct
 * programs are judged on the executors, metrics and gates computed, and report.json and
 * samples.jsonl written atomically. Gate failures are the caller's to raise, after the report is
 * on disk, so that a blocked release still leaves its evidence.
 */
public final class BenchRun {
  public static final String REPORT_FORMAT = "m31r-bench-report/1";
  private static final List<Integer> DEFAULT_KS = List.of(1, 5, 10);

  /**
   * @param reuse what became of a kept generation, in words, when the request named a reuse area
   *     ("reused ..." or "not reused: why"); null when there was nothing to say
   */
  public record Result(
      BenchSuite suite, BenchMetrics metrics, List<GateCheck> gates, int distinctPrograms, long sandboxErrors,
      Path report, Path samples, double judgeSeconds, Map<String, Object> generation, TaskOutcomes tasks,
      String reuse) {}

  private final SparkSession spark;

  public BenchRun(SparkSession spark) {
    this.spark = spark;
  }

  public Result run(BenchRequest req) {
    BenchSuite suite = new SuiteLoader().load(req.suite());
    RustToolchain toolchain = RustToolchain.locate(req.rustc());
    Collected c = collect(req, suite, toolchain);
    List<Integer> ks = ks(req.ks(), c.samplesPerTask());
    BaselineReport baseline = req.baseline();
    if (baseline != null) {
      // Refuse a baseline on another suite now, before minutes of compiling.
      ReleaseGates.checkComparable(suite.digest(), baseline);
    }
    Map<String, AssembledProgram> distinct = new LinkedHashMap<>();
    for (SampleSpec s : c.specs()) {
      distinct.putIfAbsent(s.program().sha256(), s.program());
    }
    Map<String, Verdict> verdicts = c.verdicts();
    double judgeSeconds = c.judgeSeconds();
    if (verdicts == null) {
      long t0 = System.nanoTime();
      verdicts = new SandboxJob(spark).judge(new ArrayList<>(distinct.values()), req.limits(), toolchain.rustc(), req.workDir());
      judgeSeconds = (System.nanoTime() - t0) / 1e9;
    }
    Evaluation e = evaluate(c, verdicts);
    BenchMetrics metrics = MetricsCalculator.compute(e.samples(), ks);
    List<GateCheck> gates = ReleaseGates.evaluate(suite.digest(), metrics, req.targets(), baseline);

    Map<String, Object> report = new TreeMap<>();
    report.put("format", REPORT_FORMAT);
    report.put("suite", Map.of("digest", suite.digest(), "format", suite.format().name().toLowerCase(Locale.ROOT), "tasks", suite.tasks().size()));
    report.put("source", c.source());
    report.put("settings", settings(req, ks, c.samplesPerTask(), toolchain, distinct.size()));
    report.put("metrics", metrics);
    report.put("gates", gates);
    report.put("baseline", baseline == null ? null : Map.of("suite_digest", baseline.suiteDigest()));
    report.put("result", e.sandboxErrors() > 0 ? "invalid" : gates.stream().anyMatch(GateCheck::blocked) ? "blocked" : "passed");
    Path samplesOut = req.outDir().resolve("samples.jsonl");
    Path reportOut = req.outDir().resolve("report.json");
    AtomicFiles.write(samplesOut, e.lines().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(reportOut, CanonicalJson.bytes(report));
    @SuppressWarnings("unchecked")
    Map<String, Object> generation = (Map<String, Object>) c.source().get("generation");
    return new Result(suite, metrics, gates, distinct.size(), e.sandboxErrors(), reportOut, samplesOut, judgeSeconds, generation,
        TaskOutcomes.of(e.samples()), c.reusedFrom());
  }

  /**
   * The samples of one source, in suite order. A model's samples come judged already (generation
   * and judging overlap on the executors): then {@code verdicts} holds them by program digest and
   * {@code judgeSeconds} the time of both; otherwise both are null and zero.
   */
  private record Collected(
      List<SampleSpec> specs, Map<String, GeneratedSample> generated, Map<String, Verdict> verdicts,
      double judgeSeconds, Map<String, Object> source, int samplesPerTask, String reusedFrom) {}

  private record Evaluation(List<EvaluatedSample> samples, String lines, long sandboxErrors) {}

  private Collected collect(BenchRequest req, BenchSuite suite, RustToolchain toolchain) {
    SampleSource source = req.source();
    if (source instanceof SampleSource.Model m) {
      return fromModel(m.generation(), suite, toolchain, req);
    }
    if (source instanceof SampleSource.SamplesFile f) {
      return fromSamplesFile(f, suite);
    }
    return fromOracle(suite);
  }

  private Collected fromModel(GenerationSettings g, BenchSuite suite, RustToolchain toolchain, BenchRequest req) {
    ModelBundle verified = verifyBundle(g);
    GenerationReuse reuse = req.reuse() == null ? null : new GenerationReuse(req.reuse(), verified, suite.digest(), g);
    List<String> whyNot = new ArrayList<>();
    Optional<GenerationReuse.Generated> kept = reuse == null ? Optional.empty() : reuse.find(suite, g.samplesPerTask(), whyNot::add);
    List<GeneratedSample> samples;
    double seconds;
    // Null when the samples come from a kept generation: run() judges them all again.
    Map<String, Verdict> verdicts;
    if (kept.isPresent()) {
      samples = kept.get().samples();
      seconds = kept.get().seconds();
      verdicts = null;
    } else {
      long tg = System.nanoTime();
      List<JudgedSample> judged =
          new GenerationJob(spark).generateAndJudge(suite.tasks(), g, verified, toolchain.rustc(), req.limits(), req.workDir());
      seconds = (System.nanoTime() - tg) / 1e9;
      samples = judged.stream().map(JudgedSample::sample).toList();
      verdicts = new HashMap<>();
      for (JudgedSample j : judged) {
        verdicts.put(j.programSha256(), j.verdict());
      }
      if (reuse != null) {
        reuse.keep(samples, seconds);
      }
    }
    Map<String, Object> source = new TreeMap<>();
    source.put("generation", GenerationSummary.of(samples, seconds));
    Map<String, BenchTask> byId = new HashMap<>();
    suite.tasks().forEach(t -> byId.put(t.id(), t));
    List<SampleSpec> specs = new ArrayList<>();
    Map<String, GeneratedSample> generated = new TreeMap<>();
    for (GeneratedSample s : samples) {
      BenchTask t = byId.get(s.taskId());
      specs.add(new SampleSpec(t, s.index(), s.completion(), ProgramAssembler.forCompletion(t, s.completion())));
      generated.put(s.taskId() + "#" + s.index(), s);
      source.put("model_sha256", s.modelSha256());
    }
    source.put("kind", "model");
    source.put("sampling", Map.of("temperature", g.temperature(), "top_k", g.topK(), "top_p", g.topP(),
        "seed", g.seed(), "max_new_tokens", g.maxNewTokens(), "device", g.device()));
    return new Collected(specs, generated, verdicts, kept.isPresent() ? 0 : seconds, source, g.samplesPerTask(),
        kept.isPresent()
            ? "reused the generation a failed run kept in " + req.reuse().dir() + " (" + samples.size() + " samples, judged again)"
            : whyNot.isEmpty() ? null : "generated again, the kept generation not reused: " + String.join("; ", whyNot));
  }

  private static Collected fromOracle(BenchSuite suite) {
    List<SampleSpec> specs = new ArrayList<>();
    for (BenchTask t : suite.tasks()) {
      specs.add(new SampleSpec(t, 0, t.solution(), ProgramAssembler.forReference(t)));
    }
    return new Collected(specs, Map.of(), null, 0, new TreeMap<>(Map.of("kind", "oracle")), 1, null);
  }

  private static Collected fromSamplesFile(SampleSource.SamplesFile f, BenchSuite suite) {
    SamplesFile.Contents c = SamplesFile.read(f.file(), suite, f.samplesPerTask());
    List<SampleSpec> specs = new ArrayList<>();
    for (BenchTask t : suite.tasks()) {
      List<String> completions = c.completionsByTask().get(t.id());
      for (int i = 0; i < completions.size(); i++) {
        specs.add(new SampleSpec(t, i, completions.get(i), ProgramAssembler.forCompletion(t, completions.get(i))));
      }
    }
    Map<String, Object> source = new TreeMap<>();
    source.put("kind", "samples");
    source.put("sha256", c.sha256());
    return new Collected(specs, Map.of(), null, 0, source, c.samplesPerTask(), null);
  }

  private static List<Integer> ks(List<Integer> asked, int n) {
    List<Integer> ks = asked != null ? List.copyOf(asked) : DEFAULT_KS.stream().filter(k -> k <= n).toList();
    for (int k : ks) {
      if (k < 1 || k > n) {
        throw new KExceedsSamplesException("bench: pass@" + k + " needs at least " + k + " samples per task, this run has " + n);
      }
    }
    return ks;
  }

  private static Evaluation evaluate(Collected c, Map<String, Verdict> verdicts) {
    List<EvaluatedSample> evaluated = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    long sandboxErrors = 0;
    for (SampleSpec s : c.specs()) {
      Verdict v = verdicts.get(s.program().sha256());
      if (v.status() == SampleStatus.SANDBOX_ERROR) {
        sandboxErrors++;
      }
      GeneratedSample g = c.generated().get(s.task().id() + "#" + s.index());
      evaluated.add(new EvaluatedSample(s.task().id(), s.task().category(), s.task().difficulty(), s.index(), v.status(),
          v.compiled(), v.compileMillis(), v.runMillis(), g == null ? null : g.msPerToken(),
          g == null ? null : g.peakRssBytes()));
      lines.append(sampleLine(s, v, g)).append('\n');
    }
    return new Evaluation(evaluated, lines.toString(), sandboxErrors);
  }

  private static Map<String, Object> settings(BenchRequest req, List<Integer> ks, int n, RustToolchain toolchain, int distinct) {
    Map<String, Object> s = new TreeMap<>();
    s.put("k", ks);
    s.put("samples_per_task", n);
    s.put("distinct_programs", distinct);
    s.put("compile_timeout_ms", req.limits().compileTimeoutMillis());
    s.put("run_timeout_ms", req.limits().runTimeoutMillis());
    s.put("output_cap_bytes", req.limits().outputCapBytes());
    s.put("compile_memory_bytes", req.limits().compileMemoryBytes());
    s.put("run_memory_bytes", req.limits().runMemoryBytes());
    s.put("max_processes", req.limits().maxProcesses());
    s.put("rustc", toolchain.version());
    s.put("isolation", Isolation.probe().describe());
    Map<String, Object> targets = new TreeMap<>();
    targets.put("min_compile_rate", req.targets().minCompileRate());
    Map<String, Double> passAt = new TreeMap<>();
    req.targets().minPassAtK().forEach((k, v) -> passAt.put(Integer.toString(k), v));
    targets.put("min_pass_at_k", passAt);
    targets.put("max_ms_per_token", req.targets().maxMsPerToken());
    targets.put("max_memory_bytes", req.targets().maxMemoryBytes());
    s.put("targets", targets);
    return s;
  }

  /**
   * {@code --generate-only}: the model's samples written as samples.jsonl, judged later (or
   * elsewhere) with {@code --from-samples}. Nothing is compiled.
   */
  public Path generateOnly(Path suitePath, GenerationSettings generation, Path outDir) {
    BenchSuite suite = new SuiteLoader().load(suitePath);
    StringBuilder lines = new StringBuilder();
    for (GeneratedSample g : generate(suite, generation)) {
      Map<String, Object> m = new TreeMap<>();
      m.put("task", g.taskId());
      m.put("sample", g.index());
      m.put("completion", g.completion());
      putGeneration(m, g);
      lines.append(json(m)).append('\n');
    }
    Path out = outDir.resolve("samples.jsonl");
    AtomicFiles.write(out, lines.toString().getBytes(StandardCharsets.UTF_8));
    return out;
  }

  private List<GeneratedSample> generate(BenchSuite suite, GenerationSettings g) {
    return new GenerationJob(spark).generate(suite.tasks(), g, verifyBundle(g));
  }

  /**
   * Verify the bundle on the driver first: a tampered or malformed model is the user's problem
   * (exit 4 or 2) and must not surface as a failed Spark job (exit 1) after executors tried it.
   */
  private static ModelBundle verifyBundle(GenerationSettings g) {
    return ModelBundle.open(Path.of(g.modelDir()), g.allowUnverified());
  }

  private static void putGeneration(Map<String, Object> m, GeneratedSample g) {
    m.put("generated_tokens", g.generatedTokens());
    m.put("ttft_ms", g.ttftMs());
    m.put("ms_per_token", g.msPerToken());
    if (g.promptTooLong()) {
      m.put("prompt_too_long", true);
    }
  }

  private static String json(Map<String, Object> m) {
    try {
      return CanonicalJson.mapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sampleLine(SampleSpec s, Verdict v, GeneratedSample g) {
    Map<String, Object> m = new TreeMap<>();
    if (g != null) {
      putGeneration(m, g);
    }
    m.put("task", s.task().id());
    m.put("sample", s.index());
    m.put("status", v.status().wireName());
    m.put("completion", s.completion());
    m.put("program_sha256", s.program().sha256());
    m.put("compile_ms", v.compileMillis());
    m.put("run_ms", v.runMillis());
    m.put("tests_passed", v.testsPassed());
    m.put("tests_failed", v.testsFailed());
    m.put("detail", v.detail());
    m.put("stderr_excerpt", v.stderrExcerpt());
    return json(m);
  }
}
