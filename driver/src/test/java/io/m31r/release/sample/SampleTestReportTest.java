package io.m31r.release.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.preflight.TestReports;
import io.m31r.release.preflight.TestSummary;
import io.m31r.release.sandbox.RustToolchain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report of a small suite whose tasks pass, fail their tests and fail to compile, judged for real. */
class SampleTestReportTest {
  @TempDir Path tmp;

  private static void task(Path suite, String id, String signature, String body, String check) throws IOException {
    Path dir = Files.createDirectories(suite.resolve("completion").resolve(id));
    Files.writeString(dir.resolve("prompt.rs"), signature);
    Files.writeString(dir.resolve("solution.rs"), signature + body + "\n}\n\nfn main() {}\n");
    Files.writeString(dir.resolve("tests.rs"),
        "#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn behaves() {\n        " + check + "\n    }\n}\n");
    Files.writeString(dir.resolve("Cargo.toml"), "[package]\nname = \"t_" + id + "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    Files.writeString(dir.resolve("metadata.yaml"), "difficulty: easy\ncategory: completion\ntags: [sample]\nexpected_runtime: 5\n");
  }

  @Test
  void failuresAreReportedWithTheirDetailAndEscapedOutput() throws Exception {
    Path suite = tmp.resolve("suite");
    task(suite, "task_001", "fn double(x: i32) -> i32 {\n", "    x * 2", "assert_eq!(double(4), 8);");
    task(suite, "task_002", "fn triple(x: i32) -> i32 {\n", "    x * 2", "assert_eq!(triple(4), 12);");
    task(suite, "task_003", "fn listed() -> Vec<i32> {\n", "    \"<&>\"", "assert!(listed().is_empty());");
    Path reports = tmp.resolve("reports");

    SampleTestReport.Summary s = new SampleTestReport(RustToolchain.locate(null)).run(suite, reports);

    assertEquals(new SampleTestReport.Summary(reports.resolve(SampleTestReport.FILE), 3, 2, 0), s);
    assertEquals(1, s.passed());
    Element root = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
        .parse(s.file().toFile()).getDocumentElement();
    assertEquals("3", root.getAttribute("tests"));
    assertEquals("2", root.getAttribute("failures"));
    NodeList cases = root.getElementsByTagName("testcase");
    assertEquals("task_001 double", ((Element) cases.item(0)).getAttribute("name"));
    assertEquals(0, ((Element) cases.item(0)).getElementsByTagName("failure").getLength());
    Element failed = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
    assertEquals("test_failed", failed.getAttribute("type"));
    assertEquals("1 failed, 0 passed (exit 101)", failed.getAttribute("message"));
    Element refused = (Element) ((Element) cases.item(2)).getElementsByTagName("failure").item(0);
    assertEquals("task_003 listed", ((Element) cases.item(2)).getAttribute("name"));
    assertEquals("compile_error", refused.getAttribute("type"));
    assertTrue(refused.getTextContent().contains("Vec<i32>"), refused.getTextContent());
    assertTrue(Files.readString(s.file()).contains("Vec&lt;i32&gt;"), "escaped, not CDATA or raw");

    // The release's own gate reads it as consistent, and blocks on it.
    assertEquals(new TestSummary(3, 2, 0, 0, 1), TestReports.summarize(reports));
  }

  @Test
  void anExistingReportIsRefusedAndLeftAlone() throws Exception {
    Path suite = tmp.resolve("suite");
    task(suite, "task_001", "fn double(x: i32) -> i32 {\n", "    x * 2", "assert_eq!(double(4), 8);");
    Path report = Files.createDirectories(tmp.resolve("reports")).resolve(SampleTestReport.FILE);
    Files.writeString(report, "<testsuite/>");
    BadInputException e = assertThrows(BadInputException.class,
        () -> new SampleTestReport(RustToolchain.locate(null)).run(suite, report.getParent()));
    assertEquals("test report " + report + " already exists", e.getMessage());
    assertEquals("<testsuite/>", Files.readString(report));
  }

  @Test
  void charactersXmlCannotCarryAreReplaced() {
    assertEquals("a\tb\nc\uFFFDd\uFFFD", SampleTestReport.xmlSafe("a\tb\nc\u0007d\uD800"));
    assertEquals("emoji \uD83E\uDD80 <&>", SampleTestReport.xmlSafe("emoji \uD83E\uDD80 <&>"));
  }
}
