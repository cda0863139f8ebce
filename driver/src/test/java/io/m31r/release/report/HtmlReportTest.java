package io.m31r.release.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static final double EPS = 0.006;

  @Test
  void escapesEveryTextAndAttributeTakenFromTheInput() {
    String html = HtmlReport.render(ReportFixtures.blocked());

    assertFalse(html.contains("<script"), "no script element, not even from a category name");
    assertFalse(html.contains(ReportFixtures.HOSTILE_REASON));
    assertFalse(html.contains("<b>7.9%</b>"));
    assertTrue(html.contains("Blocked: pass@1 &lt; target &amp; &quot;regressed&quot; &lt;b&gt;7.9%&lt;/b&gt;"));
    assertTrue(html.contains("data-category=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;borrow&#39;\""));
    assertTrue(html.contains("<td>traits &amp; generics</td>"));
    assertTrue(html.contains("data-stage=\"bench &lt;generation&gt;\""));
    // Every '<' in the page opens one of our own tags: the input cannot add elements.
    var tags = Pattern.compile("<(/?)([a-zA-Z!][a-zA-Z0-9-]*)").matcher(html).results().map(m -> m.group(2)).distinct().sorted().toList();
    assertEquals(
        List.of("!DOCTYPE", "body", "code", "div", "g", "h1", "h2", "head", "header", "html", "line", "meta", "p", "rect",
            "section", "style", "svg", "table", "tbody", "td", "text", "th", "thead", "title", "tr"),
        tags);
  }

  @Test
  void escapeReplacesControlCharactersAndLoneSurrogatesButKeepsOtherText() {
    assertEquals("a\uFFFDb\uFFFDc\t\n", Html.escape("a\u0000b\u0085c\t\n"));
    assertEquals("\uFFFD x \uD83E\uDD80", Html.escape("\uD800 x \uD83E\uDD80"));
    assertEquals("&amp;&lt;&gt;&quot;&#39;", Html.escape("&<>\"'"));
    assertEquals("ab\u2026", Html.shorten("abcdef", 3));
    assertEquals("\uD83E\uDD80\u2026", Html.shorten("\uD83E\uDD80\uD83E\uDD80\uD83E\uDD80", 2));
  }

  @Test
  void sameInputGivesSameBytesAndDifferentInputDifferentBytes() {
    String a = HtmlReport.render(ReportFixtures.blocked());
    String b = HtmlReport.render(ReportFixtures.blocked());
    assertEquals(a, b);
    assertNotEquals(a, HtmlReport.render(ReportFixtures.published()));
  }

  @Test
  void pageIsSelfContainedAndLocksItselfDownWithACsp() {
    for (ReleaseReport r : List.of(ReportFixtures.blocked(), ReportFixtures.published())) {
      String html = HtmlReport.render(r);
      for (String banned : List.of("http:", "https:", "//", "@import", "url(", "<link", "<script", "<img", "src=", "href=", "<iframe")) {
        assertFalse(html.toLowerCase().contains(banned), "page contains " + banned);
      }
      int csp = html.indexOf(
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:\">");
      assertTrue(csp > 0, "CSP meta present");
      assertTrue(csp < html.indexOf("<style>"), "CSP comes before anything that could fetch");
      assertTrue(html.startsWith("<!DOCTYPE html>\n"));
    }
  }

  @Test
  void categoryBarsAreOnePerValueWithHeightsProportionalToTheRates() {
    ReleaseReport r = ReportFixtures.blocked();
    String html = HtmlReport.render(r);
    List<Map<String, String>> current = Bars.withClass(html, "bar current");
    List<Map<String, String>> previous = Bars.withClass(html, "bar previous");
    assertEquals(2 * 4, current.size());
    assertEquals(2 * 3, previous.size(), "iterators has no previous release");
    double baseline = -1;
    for (Map<String, String> bar : concat(current, previous)) {
      double value = Bars.number(bar, "data-value");
      assertEquals(value * CategoryChart.PLOT_HEIGHT, Bars.number(bar, "height"), EPS, bar.toString());
      double bottom = Bars.number(bar, "y") + Bars.number(bar, "height");
      if (baseline < 0) {
        baseline = bottom;
      }
      assertEquals(baseline, bottom, EPS, "all bars stand on the same axis");
    }
    for (CategoryMetrics c : r.categories()) {
      assertEquals(c.compileRate(), valueOf(current, c.category(), "compile_rate"), 0);
      assertEquals(c.passAt1(), valueOf(current, c.category(), "pass_at_1"), 0);
      if (c.hasPrevious()) {
        assertEquals(c.previousCompileRate(), valueOf(previous, c.category(), "compile_rate"), 0);
        assertEquals(c.previousPassAt1(), valueOf(previous, c.category(), "pass_at_1"), 0);
      }
    }
    Map<String, String> full = find(current, "traits & generics", "compile_rate");
    Map<String, String> empty = find(current, "traits & generics", "pass_at_1");
    assertEquals(CategoryChart.PLOT_HEIGHT, Bars.number(full, "height"), EPS);
    assertEquals(0, Bars.number(empty, "height"), EPS);
  }

  @Test
  void noPreviousReleaseMeansNoPreviousBarsOrLegend() {
    String html = HtmlReport.render(ReportFixtures.published());
    assertEquals(4, Bars.withClass(html, "bar current").size());
    assertEquals(0, Bars.withClass(html, "bar previous").size());
    assertFalse(html.contains("(previous)"));
    assertTrue(html.contains("<p id=\"outcome\" class=\"outcome published\">Published</p>"));
    assertTrue(html.contains("Type D: experimental (non-stable)"));
  }

  @Test
  void timingBarsAreProportionalToSecondsWithTheLongestSpanningThePlot() {
    String html = HtmlReport.render(ReportFixtures.blocked());
    List<Map<String, String>> bars = Bars.withClass(html, "bar timing");
    assertEquals(ReportFixtures.stages().stream().map(StageTiming::stage).toList(), bars.stream().map(b -> b.get("data-stage")).toList());
    for (Map<String, String> bar : bars) {
      assertEquals(Bars.number(bar, "data-value") / 50.0 * TimingChart.PLOT_WIDTH, Bars.number(bar, "width"), EPS);
    }
    assertTrue(html.contains("<p>Total 90.5 s over 5 stages.</p>"));
  }

  @Test
  void stagesThatAllTookNoTimeDrawEmptyBars() {
    String svg = TimingChart.render(List.of(new StageTiming("a", 0), new StageTiming("b", 0)));
    List<Map<String, String>> bars = Bars.withClass(svg, "bar timing");
    assertEquals(2, bars.size());
    bars.forEach(b -> assertEquals("0.00", b.get("width")));
  }

  @Test
  void chartsAndTablesAreLabelledForScreenReaders() {
    String html = HtmlReport.render(ReportFixtures.blocked());
    assertTrue(html.contains("<svg id=\"chart-categories\" class=\"chart\" role=\"img\" aria-labelledby=\"chart-categories-title\""));
    assertTrue(html.contains("<title id=\"chart-categories-title\">"));
    assertTrue(html.contains("<svg id=\"chart-timings\" class=\"chart\" role=\"img\" aria-labelledby=\"chart-timings-title\""));
    assertTrue(html.contains("<title id=\"chart-timings-title\">"));
    for (String table : List.of("gates", "comparisons", "categories")) {
      int start = html.indexOf("<table id=\"" + table + "\">");
      assertTrue(start > 0, table);
      assertTrue(html.indexOf("<th scope=\"col\">", start) < html.indexOf("</table>", start), table + " has column headers");
    }
    assertTrue(html.contains("<tr><th scope=\"row\">git commit</th>"));
  }

  @Test
  void tablesShowGateVerdictsAndSignedChanges() {
    String html = HtmlReport.render(ReportFixtures.blocked());
    assertTrue(html.contains("<tr class=\"fail\"><td>pass@1 regression</td><td>drop &lt;= 5% vs 1.3.0</td><td>-7.9%</td><td class=\"fail\">FAILED</td></tr>"));
    assertTrue(html.contains("<tr class=\"pass\"><td>compile_rate target</td><td>&gt;= 70%</td><td>76.3%</td><td class=\"pass\">passed</td></tr>"));
    assertTrue(html.contains("<td>pass@1</td><td class=\"num\">0.3875</td><td class=\"num\">0.357</td><td class=\"num\">-7.9%</td><td class=\"fail\">yes</td>"));
    assertTrue(html.contains("<td>ms_per_token</td><td class=\"num\">none</td><td class=\"num\">21.5</td><td class=\"num\">n/a</td><td>no</td>"));
  }

  @Test
  void emptySectionsSayNothingWasRecordedAndDrawNoChart() {
    ReleaseReport r = new ReleaseReport(io.m31r.release.version.Semver.parse("2.0.0"), "B", "published", List.of(), List.of(), List.of(), List.of(), List.of());
    String html = HtmlReport.render(r);
    assertFalse(html.contains("<svg"));
    for (String note : List.of("No key facts recorded.", "No gates were evaluated.", "No metrics compared.",
        "No benchmark categories measured.", "No stage timings recorded.")) {
      assertTrue(html.contains(note), note);
    }
  }

  private static List<Map<String, String>> concat(List<Map<String, String>> a, List<Map<String, String>> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static double valueOf(List<Map<String, String>> bars, String category, String metric) {
    return Bars.number(find(bars, category, metric), "data-value");
  }

  private static Map<String, String> find(List<Map<String, String>> bars, String category, String metric) {
    List<Map<String, String>> hits =
        bars.stream().filter(b -> category.equals(b.get("data-category")) && metric.equals(b.get("data-metric"))).toList();
    assertEquals(1, hits.size(), category + " " + metric);
    return hits.get(0);
  }
}
