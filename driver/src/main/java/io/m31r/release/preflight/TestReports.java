package io.m31r.release.preflight;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The tests gate (sections 6, 11, 27): every JUnit XML report under a directory, whichever tool wrote
 * it (Surefire, Gradle, pytest, cargo2junit: {@code <testsuite>} or {@code <testsuites>} roots,
 * nested suites), must add up to at least one executed test and no failure or error.
 *
 * <p>Each suite's count attributes are checked against the test cases it holds, so a hand-edited or
 * truncated report is refused rather than believed. Reports are parsed with DTDs refused outright,
 * which also rules out external entities (XXE).
 */
public final class TestReports {
  private static final int LISTED_FILES = 5;

  private TestReports() {}

  /** Reads and totals the reports without gating. */
  public static TestSummary summarize(Path dir) {
    return read(dir).summary;
  }

  /** Reads the reports and fails the gate unless they show at least one executed test and none failing. */
  public static TestSummary requirePassing(Path dir) {
    Totals totals = read(dir);
    TestSummary s = totals.summary;
    if (s.failures() > 0 || s.errors() > 0) {
      List<String> files = totals.failingFiles;
      String listed = String.join(", ", files.subList(0, Math.min(files.size(), LISTED_FILES)))
          + (files.size() > LISTED_FILES ? " (+" + (files.size() - LISTED_FILES) + " more)" : "");
      throw new GateFailedException(
          "tests gate: " + count(s.failures(), "failure") + ", " + count(s.errors(), "error") + " in " + listed
              + ", first: " + totals.firstFailing);
    }
    if (s.executed() == 0) {
      throw new GateFailedException(
          "tests gate: no test executed in " + count(s.reports(), "report") + " under " + dir + " ("
              + s.tests() + " tests, " + s.skipped() + " skipped)");
    }
    return s;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static final class Totals {
    TestSummary summary;
    final List<String> failingFiles = new ArrayList<>();
    String firstFailing;
  }

  /** Counts of one suite, nested suites included. */
  private static final class Counts {
    int tests;
    int failures;
    int errors;
    int skipped;

    void add(Counts o) {
      tests += o.tests;
      failures += o.failures;
      errors += o.errors;
      skipped += o.skipped;
    }
  }

  private static Totals read(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new BadInputException("test reports directory " + dir + " does not exist or is not a directory");
    }
    List<Path> files = reportFiles(dir);
    if (files.isEmpty()) {
      throw new GateFailedException("no JUnit XML reports under " + dir);
    }
    DocumentBuilder parser = safeParser();
    Totals totals = new Totals();
    Counts all = new Counts();
    for (Path file : files) {
      String name = dir.relativize(file).toString();
      Element root = parse(parser, file, name).getDocumentElement();
      String[] firstFailing = {null};
      Counts c;
      switch (root.getTagName()) {
        case "testsuite" -> c = suite(root, name, firstFailing);
        case "testsuites" -> c = suites(root, name, firstFailing);
        default -> throw new BadInputException(
            name + ": root element <" + OneLine.clip(root.getTagName()) + "> is not <testsuite> or <testsuites>; not a JUnit XML report");
      }
      if (c.failures + c.errors > 0) {
        totals.failingFiles.add(name);
        if (totals.firstFailing == null) {
          totals.firstFailing = firstFailing[0];
        }
      }
      all.add(c);
    }
    totals.summary = new TestSummary(all.tests, all.failures, all.errors, all.skipped, files.size());
    return totals;
  }

  private static List<Path> reportFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".xml") && Files.isRegularFile(p))
          .sorted((a, b) -> dir.relativize(a).toString().compareTo(dir.relativize(b).toString()))
          .toList();
    } catch (IOException e) {
      throw new InfrastructureException("cannot list test reports under " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Counts suites(Element root, String file, String[] firstFailing) {
    Counts total = new Counts();
    for (Element child : children(root)) {
      if (child.getTagName().equals("testsuite")) {
        total.add(suite(child, file, firstFailing));
      }
    }
    crossCheck(root, total, file, "testsuites");
    return total;
  }

  private static Counts suite(Element suite, String file, String[] firstFailing) {
    Counts c = new Counts();
    String suiteName = suite.getAttribute("name");
    for (Element child : children(suite)) {
      switch (child.getTagName()) {
        case "testsuite" -> c.add(suite(child, file, firstFailing));
        case "testcase" -> {
          c.tests++;
          // One outcome per case; an error outranks a failure, as JUnit tools count them.
          if (has(child, "error")) {
            c.errors++;
          } else if (has(child, "failure")) {
            c.failures++;
          } else if (has(child, "skipped")) {
            c.skipped++;
          } else {
            continue;
          }
          if (firstFailing[0] == null && (has(child, "error") || has(child, "failure"))) {
            firstFailing[0] = caseName(child, suiteName);
          }
        }
        default -> {
          // properties, system-out, system-err: not counted
        }
      }
    }
    crossCheck(suite, c, file, "testsuite '" + OneLine.clip(suiteName) + "'");
    return c;
  }

  private static String caseName(Element testcase, String suiteName) {
    String cls = testcase.getAttribute("classname");
    String owner = cls.isEmpty() ? suiteName : cls;
    String name = testcase.getAttribute("name");
    return OneLine.clip(owner.isEmpty() ? name : owner + "." + name);
  }

  /** Attributes are optional (several tools leave them out); when present they must match the cases. */
  private static void crossCheck(Element e, Counts c, String file, String what) {
    check(e, "tests", c.tests, file, what);
    check(e, "failures", c.failures, file, what);
    check(e, "errors", c.errors, file, what);
    check(e, "skipped", c.skipped, file, what);
  }

  private static void check(Element e, String attribute, int counted, String file, String what) {
    if (!e.hasAttribute(attribute)) {
      return;
    }
    String text = e.getAttribute(attribute).trim();
    int declared;
    try {
      declared = Integer.parseInt(text);
    } catch (NumberFormatException ex) {
      throw new BadInputException(file + ": " + what + " attribute " + attribute + "='" + OneLine.clip(text) + "' is not a number");
    }
    if (declared != counted) {
      throw new BadInputException(
          file + ": " + what + " says " + attribute + "=" + declared + " but its test cases count " + counted
              + "; the report is inconsistent");
    }
  }

  private static boolean has(Element testcase, String tag) {
    for (Element child : children(testcase)) {
      if (child.getTagName().equals(tag)) {
        return true;
      }
    }
    return false;
  }

  private static List<Element> children(Element e) {
    List<Element> out = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        out.add(child);
      }
    }
    return out;
  }

  private static DocumentBuilder safeParser() {
    // The JDK's own parser, not whichever one the class path happens to carry, so these features hold.
    DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
    try {
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(false);
      DocumentBuilder builder = f.newDocumentBuilder();
      builder.setErrorHandler(THROWING);
      return builder;
    } catch (ParserConfigurationException e) {
      throw new InfrastructureException("cannot configure a safe XML parser: " + e.getMessage(), e);
    }
  }

  /** The default handler prints to stderr before throwing; the one-line exception is enough. */
  private static final ErrorHandler THROWING =
      new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      };

  private static Document parse(DocumentBuilder parser, Path file, String name) {
    try (InputStream in = Files.newInputStream(file)) {
      return parser.parse(in);
    } catch (SAXParseException e) {
      throw new BadInputException(
          name + " line " + e.getLineNumber() + ": not a well-formed JUnit XML report (DOCTYPE and entities are refused): "
              + OneLine.clip(String.valueOf(e.getMessage())), e);
    } catch (SAXException e) {
      throw new BadInputException(name + ": not a JUnit XML report: " + OneLine.clip(String.valueOf(e.getMessage())), e);
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
