package io.m31r.release.cli;

import io.m31r.release.bench.BenchRequest;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.bench.SampleSource;
import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.metrics.BaselineReport;
import io.m31r.release.metrics.GateCheck;
import io.m31r.release.metrics.GateTargets;
import io.m31r.release.metrics.ReleaseGates;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.spark.SparkSessions;
import io.m31r.release.tasks.bench.GenerationSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the benchmark suite: judges every sample in a sandbox (rustc, tests) on the executors,",
      "computes pass@k, compile rate and latencies, applies the release gates and writes report.json",
      "and samples.jsonl. Exit 3 when a gate blocks, 2 on bad input, 1 when the sandbox itself failed."
    })
final class BenchCommand extends SparkCommand {
  @Option(names = "--suite", required = true, paramLabel = "PATH",
      description = "Suite folder (<category>/task_NNN/) or MultiPL-E .jsonl file.")
  Path suite;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--oracle", required = true, description = "Judge each task's solution.rs: the suite's self-check (must score 100%%).")
    boolean oracle;

    @Option(names = "--from-samples", required = true, paramLabel = "FILE",
        description = "Judge completions from a JSONL file of {task, sample, completion}.")
    Path samples;

    @Option(names = "--model", required = true, paramLabel = "DIR",
        description = "Generate completions with this model bundle on the driver's disk (shipped or staged for the executors).")
    Path model;
  }

  @Option(names = "--staging", paramLabel = "URI",
      description = "With --model: where a bundle over spark.m31r.bundle.shipMaxBytes is staged for the executors "
          + "(hdfs:, s3a:, or a folder every executor mounts); removed at the end.")
  String staging;

  @Option(names = "--unverified", description = "With --model: allow a bundle without checksum.txt (said so in the output).")
  boolean unverified;

  /** With --model; temperature defaults to greedy for one sample per task and 0.8 for more. */
  @Mixin SamplingOptions sampling;

  @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu[:N]",
      description = "With --model: where generation runs; gpu asks Spark for one GPU per generation task (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--gpu-discovery-script", defaultValue = "conf/gpu-discovery.sh", paramLabel = "PATH",
      description = "With --device gpu: the executors' GPU discovery script (default: ${DEFAULT-VALUE}).")
  String gpuDiscoveryScript;

  @Option(names = "--max-new-tokens", defaultValue = "128", paramLabel = "N", description = "With --model: token budget per sample (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--generate-only", description = "With --model: write samples.jsonl without judging.")
  boolean generateOnly;

  @Option(names = "--samples", paramLabel = "N", description = "Samples per task (a samples file must have exactly N per task).")
  Integer samples;

  @Option(names = "--k", split = ",", paramLabel = "K", description = "pass@k to report (default: those of 1,5,10 not above the samples per task).")
  List<Integer> ks;

  @Option(names = "--out", defaultValue = "bench-out", paramLabel = "DIR", description = "Where report.json and samples.jsonl go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--baseline", paramLabel = "REPORT", description = "The previous release's report.json: a relative regression over 5%% blocks.")
  Path baseline;

  @Option(names = "--rustc", paramLabel = "PATH", description = "rustc to use (default: PATH, then $HOME/.cargo/bin/rustc).")
  String rustc;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where sample folders are made on executors (default: java.io.tmpdir).")
  String workDir;

  @Option(names = "--compile-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "Per-sample compile limit (default: ${DEFAULT-VALUE}).")
  double compileTimeout;

  @Option(names = "--run-timeout", defaultValue = "10", paramLabel = "SECONDS", description = "Per-sample run limit (default: ${DEFAULT-VALUE}).")
  double runTimeout;

  @Option(names = "--min-compile-rate", defaultValue = "0.70", paramLabel = "RATE", description = "Target (default: ${DEFAULT-VALUE}).")
  double minCompileRate;

  @Option(names = "--min-pass-at", split = ",", paramLabel = "K=RATE", description = "Targets (default: 1=0.40,5=0.60,10=0.70).")
  List<String> minPassAt;

  @Option(names = "--max-ms-per-token", defaultValue = "50", paramLabel = "MS", description = "Target (default: ${DEFAULT-VALUE}).")
  double maxMsPerToken;

  @Option(names = "--max-memory-bytes", defaultValue = "8000000000", paramLabel = "BYTES", description = "Target (default: ${DEFAULT-VALUE}).")
  long maxMemoryBytes;

  @Override
  int run(SparkSessions.Handle spark, ReleaseConfig config) {
    if (generateOnly && source.model == null) {
      throw new BadInputException("bench --generate-only: only meaningful with --model");
    }
    if (samples != null && samples < 1) {
      throw new BadInputException("bench --samples: must be at least 1");
    }
    if (compileTimeout <= 0 || runTimeout <= 0) {
      throw new BadInputException("bench --compile-timeout/--run-timeout: must be positive");
    }
    SandboxLimits limits = SandboxLimits.DEFAULTS.withTimeouts(Math.round(compileTimeout * 1000), Math.round(runTimeout * 1000));
    SampleSource from;
    if (source.model != null) {
      int n = samples == null ? 1 : samples;
      GenerationSettings generation = new GenerationSettings(source.model.toAbsolutePath().toString(), staging, unverified, n,
          sampling.temperatureOr(n == 1 ? 0.0 : 0.8), sampling.topK, sampling.topP, sampling.seed, maxNewTokens,
          device, gpuDiscoveryScript, null);
      if (generateOnly) {
        out().println("samples: " + new BenchRun(spark.session()).generateOnly(suite, generation, out));
        return 0;
      }
      from = SampleSource.model(generation);
    } else if (source.samples != null) {
      from = SampleSource.samplesFile(source.samples, samples);
    } else {
      from = SampleSource.oracle(samples);
    }
    BenchRequest req = new BenchRequest(
        suite, from, ks, out, baseline == null ? null : BaselineReport.read(baseline), limits, targets(), rustc, workDir, null);
    BenchRun.Result r = new BenchRun(spark.session()).run(req);

    PrintWriter w = out();
    w.println("suite: " + r.suite().digest() + " (" + r.suite().tasks().size() + " tasks)");
    w.println(String.format(Locale.ROOT, "samples: %d (%d distinct programs judged in %.1f s)",
        r.metrics().samples(), r.distinctPrograms(), r.judgeSeconds()));
    r.metrics().passAtK().forEach((k, v) -> w.println(String.format(Locale.ROOT, "pass@%s: %.4f", k, v)));
    w.println(String.format(Locale.ROOT, "compile_rate: %.4f", r.metrics().compileRate()));
    w.println("status: " + r.metrics().statusCounts());
    if (r.generation() != null) {
      w.println("generation: " + r.generation());
    }
    for (GateCheck g : r.gates()) {
      w.println("gate " + g.outcome() + ": " + g.message());
    }
    w.println("report: " + r.report());
    w.println("samples: " + r.samples());
    w.flush();
    if (r.sandboxErrors() > 0) {
      throw new InfrastructureException("bench: " + r.sandboxErrors()
          + " sample(s) ended in sandbox_error; the run measures nothing (see " + r.samples() + ")");
    }
    ReleaseGates.enforce(r.gates());
    return 0;
  }

  private GateTargets targets() {
    SortedMap<Integer, Double> passAt = new TreeMap<>(GateTargets.UPSTREAM.minPassAtK());
    if (minPassAt != null) {
      passAt.clear();
      for (String item : minPassAt) {
        String[] kv = item.split("=", 2);
        try {
          passAt.put(Integer.parseInt(kv[0].trim()), Double.parseDouble(kv[1].trim()));
        } catch (RuntimeException e) {
          throw new BadInputException("bench --min-pass-at: '" + item + "' is not K=RATE");
        }
      }
    }
    try {
      return new GateTargets(minCompileRate, passAt, maxMsPerToken, maxMemoryBytes);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("bench targets: " + e.getMessage());
    }
  }
}
