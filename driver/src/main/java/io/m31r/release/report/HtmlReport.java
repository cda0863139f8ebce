package io.m31r.release.report;

import java.util.List;

/**
 * Renders a {@link ReleaseReport} as one self-contained HTML5 page: inline CSS, inline SVG charts,
 * no script and no reference to anything outside the file. Its Content-Security-Policy forbids
 * every fetch except inline styles and data: images, so a future mistake (an image, a font, a
 * stylesheet link) shows as a missing piece instead of a request leaving the reviewer's machine.
 */
public final class HtmlReport {
  static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

  private static final String STYLE =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a202c;margin:2rem auto;max-width:1100px;padding:0 1rem;line-height:1.4}
      h1{margin-bottom:.2rem}
      h2{margin-top:2rem;border-bottom:1px solid #cbd5e0;padding-bottom:.2rem}
      .type{color:#4a5568;margin-top:0}
      .outcome{font-size:1.2rem;font-weight:600;padding:.6rem 1rem;border-radius:4px}
      .outcome.published{background:#c6f6d5;color:#22543d}
      .outcome.blocked{background:#fed7d7;color:#822727}
      table{border-collapse:collapse;margin:.5rem 0}
      th,td{border:1px solid #cbd5e0;padding:.3rem .6rem;text-align:left;vertical-align:top}
      thead th{background:#edf2f7}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      td.pass{color:#22543d;font-weight:600}
      td.fail{color:#822727;font-weight:600}
      tr.fail td{background:#fff5f5}
      .empty{color:#718096;font-style:italic}
      .chart-box{overflow-x:auto}
      svg.chart{font-size:11px;fill:#2d3748}
      .grid{stroke:#e2e8f0}
      .axis-line{stroke:#4a5568}
      .bar.current[data-metric="compile_rate"],.swatch.current[data-metric="compile_rate"]{fill:#2b6cb0}
      .bar.previous[data-metric="compile_rate"],.swatch.previous[data-metric="compile_rate"]{fill:#a3c4e8}
      .bar.current[data-metric="pass_at_1"],.swatch.current[data-metric="pass_at_1"]{fill:#2f855a}
      .bar.previous[data-metric="pass_at_1"],.swatch.previous[data-metric="pass_at_1"]{fill:#a7d8b8}
      .bar.timing{fill:#6b46c1}
      """;

  private HtmlReport() {}

  public static String render(ReleaseReport r) {
    StringBuilder h = new StringBuilder(16_384);
    String version = Html.escape(r.version().toString());
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(Html.escape(CSP)).append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>M31R release ").append(version).append(": ").append(Html.escape(r.outcome()))
        .append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
    h.append("<header>\n<h1>M31R release ").append(version).append("</h1>\n<p class=\"type\">")
        .append(Html.escape(r.releaseTypeDescription())).append("</p>\n");
    if (r.published()) {
      h.append("<p id=\"outcome\" class=\"outcome published\">Published</p>\n");
    } else {
      h.append("<p id=\"outcome\" class=\"outcome blocked\">Blocked: ").append(Html.escape(r.blockedReason()))
          .append("</p>\n");
    }
    h.append("</header>\n");
    keyFacts(h, r.keyFacts());
    gates(h, r.gates());
    comparisons(h, r.comparisons());
    categories(h, r.categories());
    timings(h, r.stageTimings());
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void keyFacts(StringBuilder h, List<KeyFact> facts) {
    h.append("<section id=\"facts\">\n<h2>Key facts</h2>\n");
    if (facts.isEmpty()) {
      h.append("<p class=\"empty\">No key facts recorded.</p>\n");
    } else {
      h.append("<table id=\"key-facts\">\n<tbody>\n");
      for (KeyFact f : facts) {
        h.append("<tr><th scope=\"row\">").append(Html.escape(f.label())).append("</th><td><code>")
            .append(Html.escape(f.value())).append("</code></td></tr>\n");
      }
      h.append("</tbody>\n</table>\n");
    }
    h.append("</section>\n");
  }

  private static void gates(StringBuilder h, List<GateResult> gates) {
    h.append("<section id=\"gate-results\">\n<h2>Release gates</h2>\n");
    if (gates.isEmpty()) {
      h.append("<p class=\"empty\">No gates were evaluated.</p>\n");
    } else {
      h.append("<table id=\"gates\">\n<thead><tr><th scope=\"col\">Gate</th><th scope=\"col\">Target</th>")
          .append("<th scope=\"col\">Actual</th><th scope=\"col\">Result</th></tr></thead>\n<tbody>\n");
      for (GateResult g : gates) {
        h.append(g.passed() ? "<tr class=\"pass\">" : "<tr class=\"fail\">").append("<td>")
            .append(Html.escape(g.gate())).append("</td><td>").append(Html.escape(g.target())).append("</td><td>")
            .append(Html.escape(g.actual())).append("</td>")
            .append(g.passed() ? "<td class=\"pass\">passed</td>" : "<td class=\"fail\">FAILED</td>").append("</tr>\n");
      }
      h.append("</tbody>\n</table>\n");
    }
    h.append("</section>\n");
  }

  private static void comparisons(StringBuilder h, List<MetricComparison> comparisons) {
    h.append("<section id=\"comparison\">\n<h2>Against the previous release</h2>\n");
    if (comparisons.isEmpty()) {
      h.append("<p class=\"empty\">No metrics compared.</p>\n");
    } else {
      h.append("<table id=\"comparisons\">\n<thead><tr><th scope=\"col\">Metric</th><th scope=\"col\">Previous</th>")
          .append("<th scope=\"col\">This release</th><th scope=\"col\">Change</th>")
          .append("<th scope=\"col\">Blocks release</th></tr></thead>\n<tbody>\n");
      for (MetricComparison c : comparisons) {
        h.append(c.blocks() ? "<tr class=\"fail\">" : "<tr>").append("<td>").append(Html.escape(c.metric()))
            .append("</td><td class=\"num\">").append(c.previous() == null ? "none" : Numbers.plain(c.previous()))
            .append("</td><td class=\"num\">").append(Numbers.plain(c.current())).append("</td><td class=\"num\">")
            .append(c.relativeChange() == null ? "n/a" : Numbers.signedPercent(c.relativeChange())).append("</td>")
            .append(c.blocks() ? "<td class=\"fail\">yes</td>" : "<td>no</td>").append("</tr>\n");
      }
      h.append("</tbody>\n</table>\n");
    }
    h.append("</section>\n");
  }

  private static void categories(StringBuilder h, List<CategoryMetrics> categories) {
    h.append("<section id=\"categories-section\">\n<h2>Benchmark by category</h2>\n");
    if (categories.isEmpty()) {
      h.append("<p class=\"empty\">No benchmark categories measured.</p>\n");
    } else {
      h.append("<div class=\"chart-box\">\n").append(CategoryChart.render(categories)).append("</div>\n");
      h.append("<table id=\"categories\">\n<thead><tr><th scope=\"col\">Category</th><th scope=\"col\">Tasks</th>")
          .append("<th scope=\"col\">Compile rate</th><th scope=\"col\">Previous</th>")
          .append("<th scope=\"col\">pass@1</th><th scope=\"col\">Previous</th></tr></thead>\n<tbody>\n");
      for (CategoryMetrics c : categories) {
        h.append("<tr><td>").append(Html.escape(c.category())).append("</td><td class=\"num\">").append(c.tasks())
            .append("</td><td class=\"num\">").append(Numbers.percent(c.compileRate())).append("</td><td class=\"num\">")
            .append(c.hasPrevious() ? Numbers.percent(c.previousCompileRate()) : "none")
            .append("</td><td class=\"num\">").append(Numbers.percent(c.passAt1())).append("</td><td class=\"num\">")
            .append(c.hasPrevious() ? Numbers.percent(c.previousPassAt1()) : "none").append("</td></tr>\n");
      }
      h.append("</tbody>\n</table>\n");
    }
    h.append("</section>\n");
  }

  private static void timings(StringBuilder h, List<StageTiming> stages) {
    h.append("<section id=\"timings\">\n<h2>Stage timings</h2>\n");
    if (stages.isEmpty()) {
      h.append("<p class=\"empty\">No stage timings recorded.</p>\n");
    } else {
      double total = stages.stream().mapToDouble(StageTiming::seconds).sum();
      h.append("<p>Total ").append(Numbers.seconds(total)).append(" over ").append(stages.size())
          .append(stages.size() == 1 ? " stage" : " stages").append(".</p>\n");
      h.append("<div class=\"chart-box\">\n").append(TimingChart.render(stages)).append("</div>\n");
    }
    h.append("</section>\n");
  }
}
