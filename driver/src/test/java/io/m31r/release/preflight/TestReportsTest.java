package io.m31r.release.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestReportsTest {
  @TempDir Path tmp;

  private static final String SUREFIRE =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="io.m31r.FooTest" time="0.1" tests="3" errors="0" skipped="1" failures="0">
        <properties><property name="java.version" value="17"/></properties>
        <testcase name="a" classname="io.m31r.FooTest" time="0.01"/>
        <testcase name="b" classname="io.m31r.FooTest" time="0.01"><system-out>hi</system-out></testcase>
        <testcase name="c" classname="io.m31r.FooTest" time="0"><skipped message="off"/></testcase>
      </testsuite>
      """;
  private static final String PYTEST =
      """
      <?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="2" time="0.5" timestamp="2026-01-01T00:00:00" hostname="h"><testcase classname="tests.test_tok" name="test_roundtrip" time="0.1" /><testcase classname="tests.test_tok" name="test_specials" time="0.1" /></testsuite></testsuites>
      """;
  private static final String CARGO2JUNIT =
      """
      <?xml version="1.0" encoding="utf-8"?>
      <testsuites>
        <testsuite id="0" name="m31r_serve" package="testsuite/m31r_serve" tests="2" errors="0" failures="0" hostname="localhost" timestamp="2026-01-01T00:00:00Z" time="0">
          <testcase name="sampler::tests::argmax" classname="m31r_serve" time="0"/>
          <testcase name="sampler::tests::top_k" classname="m31r_serve" time="0"/>
        </testsuite>
      </testsuites>
      """;
  private static final String GRADLE_FAILING =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuite name="io.m31r.BarTest" tests="3" skipped="0" failures="1" errors="1" timestamp="2026-01-01T00:00:00" hostname="h" time="0.2">
        <properties/>
        <testcase name="ok" classname="io.m31r.BarTest" time="0.0"/>
        <testcase name="wrongSum" classname="io.m31r.BarTest" time="0.0"><failure message="expected 3" type="AssertionError">trace</failure></testcase>
        <testcase name="boom" classname="io.m31r.BarTest" time="0.0"><error message="npe" type="NullPointerException">trace</error></testcase>
        <system-out><![CDATA[]]></system-out>
      </testsuite>
      """;

  private Path write(String relative, String xml) throws IOException {
    Path p = tmp.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, xml);
    return p;
  }

  private List<String> snapshot() throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(tmp)) {
      for (Path p : walk.sorted().toList()) {
        out.add(tmp.relativize(p) + (Files.isRegularFile(p) ? "=" + Files.readString(p) : "/"));
      }
    }
    return out;
  }

  @Test
  void reportsOfEveryStyleAddUpAndPass() throws IOException {
    write("java/TEST-io.m31r.FooTest.xml", SUREFIRE);
    write("python/pytest.xml", PYTEST);
    write("rust/cargo.xml", CARGO2JUNIT);
    write("java/FooTest.txt", "Tests run: 3");
    List<String> before = snapshot();
    assertEquals(new TestSummary(7, 0, 0, 1, 3), TestReports.requirePassing(tmp));
    assertEquals(before, snapshot());
  }

  @Test
  void failuresAndErrorsBlockTheGateNamingFilesAndTheFirstCase() throws IOException {
    write("a/TEST-ok.xml", SUREFIRE);
    write("b/TEST-bar.xml", GRADLE_FAILING);
    write("c/more.xml", GRADLE_FAILING.replace("io.m31r.BarTest", "io.m31r.BazTest"));
    List<String> before = snapshot();
    GateFailedException e = assertThrows(GateFailedException.class, () -> TestReports.requirePassing(tmp));
    assertEquals(ExitCode.GATE_BLOCKED, e.exitCode());
    assertEquals(
        "tests gate: 2 failures, 2 errors in b/TEST-bar.xml, c/more.xml, first: io.m31r.BarTest.wrongSum", e.getMessage());
    assertEquals(new TestSummary(9, 2, 2, 1, 3), TestReports.summarize(tmp));
    assertEquals(before, snapshot());
  }

  @Test
  void onlySkippedTestsIsNotAPass() throws IOException {
    write(
        "TEST-x.xml",
        "<testsuite name=\"x\" tests=\"1\" skipped=\"1\" failures=\"0\" errors=\"0\">"
            + "<testcase name=\"t\" classname=\"x\"><skipped/></testcase></testsuite>");
    GateFailedException e = assertThrows(GateFailedException.class, () -> TestReports.requirePassing(tmp));
    assertEquals("tests gate: no test executed in 1 report under " + tmp + " (1 tests, 1 skipped)", e.getMessage());
  }

  @Test
  void noReportsIsAGateFailure() throws IOException {
    write("notes/readme.txt", "no xml here");
    GateFailedException e = assertThrows(GateFailedException.class, () -> TestReports.requirePassing(tmp));
    assertEquals("no JUnit XML reports under " + tmp, e.getMessage());
  }

  @Test
  void aMissingDirectoryIsABadInput() {
    Path missing = tmp.resolve("absent");
    BadInputException e = assertThrows(BadInputException.class, () -> TestReports.requirePassing(missing));
    assertEquals("test reports directory " + missing + " does not exist or is not a directory", e.getMessage());
  }

  @Test
  void countsThatDisagreeWithTheTestCasesAreRefused() throws IOException {
    write("TEST-ok.xml", SUREFIRE);
    // A failure edited out of the attributes but still present in the body.
    write("TEST-edited.xml", GRADLE_FAILING.replace("failures=\"1\"", "failures=\"0\""));
    BadInputException e = assertThrows(BadInputException.class, () -> TestReports.requirePassing(tmp));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertEquals(
        "TEST-edited.xml: testsuite 'io.m31r.BarTest' says failures=0 but its test cases count 1; the report is inconsistent",
        e.getMessage());
  }

  @Test
  void aTestsuitesRootTotalIsCrossCheckedToo() throws IOException {
    write("r.xml", CARGO2JUNIT.replace("<testsuites>", "<testsuites tests=\"5\">"));
    BadInputException e = assertThrows(BadInputException.class, () -> TestReports.summarize(tmp));
    assertEquals("r.xml: testsuites says tests=5 but its test cases count 2; the report is inconsistent", e.getMessage());
  }

  @Test
  void nestedSuitesAreCounted() throws IOException {
    write(
        "nested.xml",
        "<testsuites><testsuite name=\"outer\" tests=\"3\" failures=\"0\" errors=\"0\">"
            + "<testcase name=\"o\" classname=\"outer\"/>"
            + "<testsuite name=\"inner\" tests=\"2\"><testcase name=\"i1\"/><testcase name=\"i2\"/></testsuite>"
            + "</testsuite></testsuites>");
    assertEquals(new TestSummary(3, 0, 0, 0, 1), TestReports.requirePassing(tmp));
  }

  @Test
  void externalEntitiesAreNeverResolved() throws IOException {
    Path secret = write("outside/secret.txt", "TOPSECRET-CONTENT");
    write(
        "reports/TEST-xxe.xml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE testsuite [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
            + "<testsuite name=\"&x;\" tests=\"1\"><testcase name=\"t\" classname=\"&x;\"/></testsuite>");
    BadInputException e =
        assertThrows(BadInputException.class, () -> TestReports.requirePassing(tmp.resolve("reports")));
    assertTrue(e.getMessage().startsWith("TEST-xxe.xml line 2: not a well-formed JUnit XML report (DOCTYPE and entities are refused)"), e.getMessage());
    assertFalse(e.getMessage().contains("TOPSECRET"), e.getMessage());
  }

  @Test
  void malformedAndForeignXmlAreRefusedNamingTheFile() throws IOException {
    write("TEST-cut.xml", SUREFIRE.substring(0, SUREFIRE.length() / 2));
    BadInputException cut = assertThrows(BadInputException.class, () -> TestReports.summarize(tmp));
    assertTrue(cut.getMessage().startsWith("TEST-cut.xml line "), cut.getMessage());
    Files.delete(tmp.resolve("TEST-cut.xml"));

    write("pom.xml", "<project><modelVersion>4.0.0</modelVersion></project>");
    BadInputException foreign = assertThrows(BadInputException.class, () -> TestReports.summarize(tmp));
    assertEquals(
        "pom.xml: root element <project> is not <testsuite> or <testsuites>; not a JUnit XML report", foreign.getMessage());
  }

  @Test
  void aNonNumericCountIsRefused() throws IOException {
    write("TEST-n.xml", "<testsuite name=\"n\" tests=\"many\"><testcase name=\"t\"/></testsuite>");
    BadInputException e = assertThrows(BadInputException.class, () -> TestReports.summarize(tmp));
    assertEquals("TEST-n.xml: testsuite 'n' attribute tests='many' is not a number", e.getMessage());
  }
}
