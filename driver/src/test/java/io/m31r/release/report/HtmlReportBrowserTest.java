package io.m31r.release.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a reviewer sees it: written by {@link ReportWriter}, served over loopback HTTP and
 * loaded by a real headless Chromium. Skipped where {@code /usr/bin/chromium} is absent.
 */
class HtmlReportBrowserTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final String HTML = "text/html; charset=utf-8";

  @TempDir Path tmp;

  @BeforeEach
  void needsChromium() {
    if (!HeadlessChromium.installed()) {
      System.out.println("HtmlReportBrowserTest skipped: " + HeadlessChromium.BINARY + " is not installed (apt-get install chromium)");
    }
    assumeTrue(HeadlessChromium.installed(), HeadlessChromium.BINARY + " is not installed");
  }

  @Test
  void browserDrawsBothChartsAndFetchesNothingButThePage() throws Exception {
    ReleaseReport report = ReportFixtures.blocked();
    Path file = tmp.resolve("site/report.html");
    ReportWriter.write(report, file);
    HeadlessChromium chromium = new HeadlessChromium(tmp);
    try (RecordingServer server = new RecordingServer()) {
      server.serve("/report.html", HTML, Files.readAllBytes(file));
      String self = "127.0.0.1:" + server.port();

      String dom = chromium.dumpDom(server.url("/report.html"), HeadlessChromium.OFFLINE_RULES);
      assertTrue(dom.contains("<svg id=\"chart-categories\""), "category chart in the live DOM");
      assertTrue(dom.contains("<svg id=\"chart-timings\""), "timing chart in the live DOM");
      assertFalse(dom.contains("<script"), "the hostile category name stayed text");
      assertTrue(dom.contains("<td>" + "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'borrow'</td>"), "and reads as text");
      List<Map<String, String>> current = Bars.withClass(dom, "bar current");
      List<Map<String, String>> previous = Bars.withClass(dom, "bar previous");
      List<Map<String, String>> timing = Bars.withClass(dom, "bar timing");
      assertEquals(8, current.size());
      assertEquals(6, previous.size());
      assertEquals(5, timing.size());
      assertEquals(
          List.of("closures", "closures", "traits & generics", "traits & generics", ReportFixtures.HOSTILE_CATEGORY,
              ReportFixtures.HOSTILE_CATEGORY, "iterators", "iterators"),
          current.stream().map(b -> b.get("data-category")).toList());
      for (Map<String, String> bar : current) {
        assertEquals(Bars.number(bar, "data-value") * CategoryChart.PLOT_HEIGHT, Bars.number(bar, "height"), 0.006);
      }
      assertEquals(List.of(self + " /report.html"), server.requests());

      Path png = chromium.screenshot(server.url("/report.html"), 1200, 1600);
      byte[] bytes = Files.readAllBytes(png);
      assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8), "PNG signature");
      assertTrue(bytes.length > 20_000, "a drawn page, not a blank one: " + bytes.length + " bytes");
      ByteBuffer ihdr = ByteBuffer.wrap(bytes, 16, 8);
      assertEquals(1200, ihdr.getInt(), "PNG width");
      assertEquals(1600, ihdr.getInt(), "PNG height");
      assertPaintedArea(png, 0x2b6cb0, compileBarsArea(report, false), "compile rate bars of this release");
      assertPaintedArea(png, 0xa3c4e8, compileBarsArea(report, true), "compile rate bars of the previous release");

      assertEquals(List.of(self + " /report.html", self + " /report.html"), server.requests(), "one page load per run, nothing else");
    }
  }

  /**
   * A page with fetches added by mistake: an image on the same server, an image on another host
   * name (resolved to the same server), a stylesheet and a CSS background. Without the CSP the
   * browser fetches all four, which proves the probes work; with it, none.
   */
  @Test
  void cspBlocksFetchesAddedByMistakeToAnyHost() throws Exception {
    HeadlessChromium chromium = new HeadlessChromium(tmp);
    try (RecordingServer server = new RecordingServer()) {
      String self = "127.0.0.1:" + server.port();
      String other = "probe.test:" + server.port();
      String rules = "MAP probe.test 127.0.0.1, " + HeadlessChromium.OFFLINE_RULES;
      String html = HtmlReport.render(ReportFixtures.published());
      String tampered =
          html.replace("</head>", "<link rel=\"stylesheet\" href=\"/probe.css\">\n</head>")
              .replace("<body>", "<body style=\"background-image:url(/probe-bg.png)\">"
                  + "<img src=\"/probe.png\" alt=\"\"><img src=\"http://" + other + "/external.png\" alt=\"\">");
      String withoutCsp = tampered.replaceFirst("<meta http-equiv=\"Content-Security-Policy\"[^>]*>\n", "");
      assertTrue(tampered.contains("Content-Security-Policy") && !withoutCsp.contains("Content-Security-Policy"));
      server.serve("/tampered.html", HTML, tampered.getBytes(StandardCharsets.UTF_8));
      server.serve("/without-csp.html", HTML, withoutCsp.getBytes(StandardCharsets.UTF_8));
      server.serve("/probe.css", "text/css", "p{color:#123}".getBytes(StandardCharsets.UTF_8));
      byte[] png = Files.readAllBytes(chromium.screenshot(pageUrl(server), 200, 200));
      server.serve("/probe.png", "image/png", png);
      server.serve("/probe-bg.png", "image/png", png);
      server.serve("/external.png", "image/png", png);
      server.clear();

      chromium.dumpDom(server.url("/without-csp.html"), rules);
      assertEquals(
          List.of(other + " /external.png", self + " /probe-bg.png", self + " /probe.css", self + " /probe.png", self + " /without-csp.html")
              .stream().sorted().toList(),
          server.requests().stream().sorted().toList(),
          "the control page fetches every probe");
      server.clear();

      String dom = chromium.dumpDom(server.url("/tampered.html"), rules);
      assertTrue(dom.contains("src=\"/probe.png\""), "the probe is in the page");
      assertEquals(List.of(self + " /tampered.html"), server.requests(), "the CSP let nothing else through");
    }
  }

  private static String pageUrl(RecordingServer server) {
    server.serve("/blank.html", HTML, "<!DOCTYPE html><title>x</title>".getBytes(StandardCharsets.UTF_8));
    return server.url("/blank.html");
  }

  /** Pixels of the bars' colour plus the 12 x 12 legend swatch, at a device scale of 1. */
  private static int compileBarsArea(ReleaseReport report, boolean previous) {
    double heights = report.categories().stream()
        .filter(c -> !previous || c.hasPrevious())
        .mapToDouble(c -> previous ? c.previousCompileRate() : c.compileRate())
        .sum() * CategoryChart.PLOT_HEIGHT;
    return (int) Math.round(heights * 16 + 12 * 12);
  }

  private static void assertPaintedArea(Path png, int rgb, int expected, String what) throws Exception {
    BufferedImage img = ImageIO.read(png.toFile());
    int count = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if (near(img.getRGB(x, y), rgb)) {
          count++;
        }
      }
    }
    assertEquals(expected, count, expected * 0.05, what + ": painted pixels");
  }

  private static boolean near(int a, int b) {
    for (int shift = 0; shift <= 16; shift += 8) {
      if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > 6) {
        return false;
      }
    }
    return true;
  }
}
