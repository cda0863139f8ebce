package io.m31r.release.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.bench.BenchRun;
import io.m31r.release.git.GitHead;
import io.m31r.release.logging.EventLog;
import io.m31r.release.metrics.GateCheck;
import io.m31r.release.metrics.GroupMetrics;
import io.m31r.release.metrics.TaskOutcomes;
import io.m31r.release.report.CategoryMetrics;
import io.m31r.release.report.GateResult;
import io.m31r.release.report.KeyFact;
import io.m31r.release.report.MetricComparison;
import io.m31r.release.report.ReleaseReport;
import io.m31r.release.report.ReportWriter;
import io.m31r.release.report.StageTiming;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Collects what the stages learn into the HTML report people read before approving a release.
 * It sits beside the release root ({@code <root>-reports/<version>.html}), never inside a release,
 * and is written for a blocked export too, saying which stage blocked and why.
 */
final class ReportBuilder {
  static final String PUBLISHED = ReleaseReport.PUBLISHED;

  private final ExportRequest req;
  private final ReleaseInputs in;
  private final io.m31r.release.registry.ReleaseRoot root;
  private final List<KeyFact> facts = new ArrayList<>();
  private final List<CategoryMetrics> categories = new ArrayList<>();
  private final List<MetricComparison> comparisons = new ArrayList<>();
  private final List<GateResult> gates = new ArrayList<>();

  ReportBuilder(ExportRequest req, ReleaseInputs in, io.m31r.release.registry.ReleaseRoot root) {
    this.req = req;
    this.in = in;
    this.root = root;
    facts.add(new KeyFact("release root", in.root()));
  }

  void head(GitHead head) {
    facts.add(new KeyFact("git commit", head.commit()));
    facts.add(new KeyFact("git tag", req.tag()));
  }

  void frozen(FrozenArtifacts f) {
    facts.add(new KeyFact("dataset version", f.dataset().rootSha256() + " (" + f.dataset().shardCount() + " shards)"));
    facts.add(new KeyFact("tokenizer version", f.tokenizerSha256()));
    facts.add(new KeyFact("config hash", f.configSha256()));
    facts.add(new KeyFact("model hash", f.modelSha256()));
    facts.add(new KeyFact("training seed", Long.toString(f.trainingSeed())));
  }

  /** A fact a stage reports in words (what was reused, and why not). */
  void fact(String label, String value) {
    facts.add(new KeyFact(label, value));
  }

  void bench(BenchmarkStage.Outcome o) {
    BenchRun.Result r = o.candidate();
    Optional<PreviousBaseline> previous = o.previous();
    facts.add(new KeyFact("suite digest", r.suite().digest()));
    if (r.reuse() != null) {
      facts.add(new KeyFact("benchmark generation", r.reuse()));
    }
    previous.ifPresent(p -> {
      facts.add(new KeyFact("previous release", p.version().toString()));
      facts.add(new KeyFact("suite digest of " + p.version() + " as published", p.publishedSuiteDigest()));
      facts.add(new KeyFact("compared on suite digest", p.suiteDigest() + (p.rebenchmarked()
          ? " (" + p.version() + "'s package benchmarked again on this suite, same generation settings and seed)"
          : " (" + p.version() + "'s published numbers)")));
      TaskOutcomes.Flips flips = r.tasks().since(p.tasks());
      facts.add(new KeyFact("passed -> failed against " + p.version(), taskList(flips.passedToFailed())));
      facts.add(new KeyFact("failed -> passed against " + p.version(), taskList(flips.failedToPassed())));
    });
    List<String> tooLong = MetricsSummary.promptTooLongTasks(r);
    facts.add(new KeyFact("prompts over the model's context",
        tooLong.size() + " of " + r.metrics().tasks() + " tasks (not truncated: no completion, scored as failed)"
            + (tooLong.isEmpty() ? "" : ": " + String.join(", ", tooLong.subList(0, Math.min(10, tooLong.size())))
                + (tooLong.size() > 10 ? ", ..." : ""))));
    JsonNode prevByCategory = previous.map(PreviousBaseline::byCategory).orElse(null);
    for (Map.Entry<String, GroupMetrics> e : r.metrics().byCategory().entrySet()) {
      GroupMetrics g = e.getValue();
      double pass1 = g.passAtK().getOrDefault("1", 0.0);
      JsonNode p = prevByCategory == null ? null : prevByCategory.path(e.getKey());
      if (p != null && p.path("compile_rate").isNumber() && p.path("pass_at_k").path("1").isNumber()) {
        categories.add(new CategoryMetrics(e.getKey(), Math.max(1, g.tasks()), g.compileRate(), pass1,
            p.path("compile_rate").asDouble(), p.path("pass_at_k").path("1").asDouble()));
      } else {
        categories.add(CategoryMetrics.current(e.getKey(), Math.max(1, g.tasks()), g.compileRate(), pass1));
      }
    }
    comparisons.add(MetricComparison.of("compile_rate", previous.map(PreviousBaseline::compileRate).orElse(null),
        r.metrics().compileRate(), blocked(r, "regression", "compile_rate")));
    r.metrics().passAtK().forEach((k, v) -> comparisons.add(MetricComparison.of("pass@" + k,
        previous.map(p -> p.passAtK().get(k)).orElse(null), v, blocked(r, "regression", "pass@" + k))));
    if (r.metrics().msPerToken() != null) {
      comparisons.add(MetricComparison.of("ms_per_token (not gated against the previous release)",
          previous.map(PreviousBaseline::msPerToken).orElse(null),
          r.metrics().msPerToken(), false));
    }
    for (GateCheck g : r.gates()) {
      gates.add(new GateResult(g.gate() + " " + g.metric(),
          g.limit() == null ? "-" : fmt(g.limit()),
          g.candidate() == null ? "not measured" : fmt(g.candidate()),
          !g.blocked()));
    }
  }

  /** Writes the report beside the root (through Hadoop for a remote root); returns where. */
  String write(String outcome, List<StageTiming> timings) {
    ReleaseReport report =
        new ReleaseReport(req.version(), req.type().name(), outcome, facts, categories, comparisons, gates, timings);
    org.apache.hadoop.fs.Path remote = in.localRoot() ? null : remoteReportFile();
    if (remote == null) {
      Path file = localReportFile();
      ReportWriter.write(report, file);
      return file.toString();
    }
    try (var out = remote.getFileSystem(root.conf()).create(remote, true)) {
      out.write(io.m31r.release.report.HtmlReport.render(report).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new io.m31r.release.failure.InfrastructureException("cannot write the report " + remote + ": " + e.getMessage(), e);
    }
    return remote.toString();
  }

  /** The report file if one is there already (a rerun never overwrites the publishing run's report). */
  Optional<String> existing() {
    try {
      if (in.localRoot() || remoteReportFile() == null) {
        Path file = localReportFile();
        return java.nio.file.Files.exists(file) ? Optional.of(file.toString()) : Optional.empty();
      }
      org.apache.hadoop.fs.Path remote = remoteReportFile();
      return remote.getFileSystem(root.conf()).exists(remote) ? Optional.of(remote.toString()) : Optional.empty();
    } catch (java.io.IOException e) {
      throw new io.m31r.release.failure.InfrastructureException("cannot inspect the report: " + e.getMessage(), e);
    }
  }

  /** For a blocked export: the report is a help, so failing to write it must not hide the real error. */
  void writeQuietly(String reason, List<StageTiming> timings, EventLog log) {
    try {
      String file = write(ReleaseReport.BLOCKED_PREFIX + reason.replace('\n', ' '), timings);
      log.info("report", "blocked-release report written to " + file);
    } catch (RuntimeException e) {
      log.warn("report", "could not write the report of the blocked export: " + e.getMessage());
    }
  }

  /** {@code <root>-reports/<version>.html} beside a local root. */
  Path localReportFile() {
    String name = req.version() + ".html";
    if (in.localRoot()) {
      Path local = Path.of(in.root().replaceFirst("^file:(//)?", "")).toAbsolutePath().normalize();
      return local.resolveSibling(local.getFileName() + "-reports").resolve(name);
    }
    // A root at the top of a bucket has no "beside": the report stays on the machine that ran export.
    return Path.of("m31r-reports").toAbsolutePath().resolve(name);
  }

  /** {@code <root>-reports/<version>.html} on the root's own store, or null at a store's top. */
  private org.apache.hadoop.fs.Path remoteReportFile() {
    org.apache.hadoop.fs.Path r = root.path();
    if (r.getParent() == null || r.getName().isEmpty()) {
      return null;
    }
    return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(r.getParent(), r.getName() + "-reports"), req.version() + ".html");
  }

  /** Every task named: the report is where a reviewer looks for what broke. */
  private static String taskList(List<String> ids) {
    return ids.isEmpty() ? "none" : ids.size() + " task(s): " + String.join(", ", ids);
  }

  private static boolean blocked(BenchRun.Result r, String gate, String metric) {
    return r.gates().stream().anyMatch(g -> g.gate().equals(gate) && g.metric().equals(metric) && g.blocked());
  }

  private static Double number(JsonNode n) {
    return n != null && n.isNumber() ? n.asDouble() : null;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) >= 1e3 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4f", v);
  }
}
