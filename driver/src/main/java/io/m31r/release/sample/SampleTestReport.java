package io.m31r.release.sample;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.sandbox.Isolation;
import io.m31r.release.sandbox.RustSandbox;
import io.m31r.release.sandbox.RustToolchain;
import io.m31r.release.sandbox.SampleStatus;
import io.m31r.release.sandbox.SandboxLimits;
import io.m31r.release.sandbox.Verdict;
import io.m31r.release.suite.BenchSuite;
import io.m31r.release.suite.BenchTask;
import io.m31r.release.suite.ProgramAssembler;
import io.m31r.release.suite.SuiteLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Runs every task of the sample suite's reference solution with its tests in the real sandbox and
 * writes the outcome as a JUnit XML report, the kind of report the release's tests gate reads. It
 * is a real run of the tests of the corpus the model learns, so a broken corpus or toolchain shows
 * as failures rather than being papered over.
 *
 * <p>The {@code time} attributes are measured wall-clock seconds, so the report's bytes (and the
 * sample commit that adds it) differ from run to run; everything else in it is determined by the
 * suite and the toolchain.
 */
public final class SampleTestReport {
  public static final String FILE = "TEST-sample-corpus.xml";
  static final String SUITE_NAME = "sample-corpus";
  static final String CLASS_PREFIX = "sample.corpus.";
  static final int THREADS = 2;

  private static final Pattern FUNCTION = Pattern.compile("\\bfn\\s+([A-Za-z_][A-Za-z0-9_]*)");

  /** Totals of one run; {@code file} is the report written. */
  public record Summary(Path file, int tests, int failures, int errors) {
    public Summary {
      if (tests < 0 || failures < 0 || errors < 0 || failures + errors > tests) {
        throw new IllegalArgumentException("inconsistent test counts: " + tests + "/" + failures + "/" + errors);
      }
    }

    public int passed() {
      return tests - failures - errors;
    }
  }

  private record Outcome(BenchTask task, Verdict verdict, long nanos) {}

  private final RustToolchain toolchain;

  /** @param toolchain from {@link RustToolchain#locate}, found before any work so a missing rustc fails fast */
  public SampleTestReport(RustToolchain toolchain) {
    this.toolchain = Objects.requireNonNull(toolchain, "toolchain");
  }

  /** Judges the suite in {@code suiteDir} and writes {@code reportDir/}{@value #FILE}, which must not exist. */
  public Summary run(Path suiteDir, Path reportDir) {
    Path file = reportDir.resolve(FILE);
    if (Files.exists(file)) {
      throw new BadInputException("test report " + file + " already exists");
    }
    BenchSuite suite = new SuiteLoader().load(suiteDir);
    long start = System.nanoTime();
    List<Outcome> outcomes = judge(suite.tasks(), toolchain);
    double seconds = (System.nanoTime() - start) / 1e9;
    try {
      Files.createDirectories(reportDir);
    } catch (IOException e) {
      throw new InfrastructureException("cannot create " + reportDir + ": " + e.getMessage(), e);
    }
    return write(file, outcomes, seconds, toolchain);
  }

  private static List<Outcome> judge(List<BenchTask> tasks, RustToolchain toolchain) {
    Path workRoot;
    try {
      workRoot = Files.createTempDirectory("m31r-sample-tests-");
    } catch (IOException e) {
      throw new InfrastructureException("cannot create a sandbox work directory: " + e.getMessage(), e);
    }
    RustSandbox sandbox = new RustSandbox(toolchain, SandboxLimits.DEFAULTS, Isolation.probe(), workRoot);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "m31r-sample-tests");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (BenchTask task : tasks) {
        var program = ProgramAssembler.forReference(task);
        futures.add(pool.submit(() -> {
          long t0 = System.nanoTime();
          Verdict v = sandbox.evaluate(program);
          return new Outcome(task, v, System.nanoTime() - t0);
        }));
      }
      List<Outcome> out = new ArrayList<>(futures.size());
      for (Future<Outcome> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted while running the sample corpus tests", e);
    } catch (ExecutionException e) {
      throw new InfrastructureException("running the sample corpus tests failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
      try {
        Files.deleteIfExists(workRoot);
      } catch (IOException e) {
        // A leftover empty temp directory changes no result.
      }
    }
  }

  private static Summary write(Path file, List<Outcome> outcomes, double seconds, RustToolchain toolchain) {
    int failures = 0;
    int errors = 0;
    for (Outcome o : outcomes) {
      if (o.verdict().status() == SampleStatus.SANDBOX_ERROR) {
        errors++;
      } else if (o.verdict().status() != SampleStatus.PASSED) {
        failures++;
      }
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", SUITE_NAME);
      xml.writeAttribute("tests", Integer.toString(outcomes.size()));
      xml.writeAttribute("failures", Integer.toString(failures));
      xml.writeAttribute("errors", Integer.toString(errors));
      xml.writeAttribute("skipped", "0");
      xml.writeAttribute("time", seconds(seconds));
      xml.writeCharacters("\n  ");
      xml.writeStartElement("properties");
      property(xml, "rustc", toolchain.version());
      property(xml, "sandbox", Isolation.probe().describe());
      xml.writeCharacters("\n  ");
      xml.writeEndElement();
      for (Outcome o : outcomes) {
        testcase(xml, o);
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.close();
    } catch (IOException | XMLStreamException e) {
      throw new InfrastructureException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return new Summary(file, outcomes.size(), failures, errors);
  }

  private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
    xml.writeCharacters("\n    ");
    xml.writeEmptyElement("property");
    xml.writeAttribute("name", name);
    xml.writeAttribute("value", xmlSafe(value));
  }

  private static void testcase(XMLStreamWriter xml, Outcome o) throws XMLStreamException {
    BenchTask task = o.task();
    Verdict v = o.verdict();
    xml.writeCharacters("\n  ");
    boolean passed = v.status() == SampleStatus.PASSED;
    if (passed) {
      xml.writeEmptyElement("testcase");
    } else {
      xml.writeStartElement("testcase");
    }
    xml.writeAttribute("classname", CLASS_PREFIX + task.category());
    xml.writeAttribute("name", caseName(task));
    xml.writeAttribute("time", seconds(o.nanos() / 1e9));
    if (passed) {
      return;
    }
    xml.writeCharacters("\n    ");
    // A harness failure says nothing about the code under test: JUnit tools count it as an error.
    xml.writeStartElement(v.status() == SampleStatus.SANDBOX_ERROR ? "error" : "failure");
    xml.writeAttribute("message", xmlSafe(v.detail()));
    xml.writeAttribute("type", v.status().wireName());
    xml.writeCharacters(xmlSafe(v.stderrExcerpt()));
    xml.writeEndElement();
    xml.writeCharacters("\n  ");
    xml.writeEndElement();
  }

  /** {@code task_001 is_even}: the task's folder name and the function its prompt opens. */
  static String caseName(BenchTask task) {
    String id = task.id().substring(task.id().lastIndexOf('/') + 1);
    Matcher m = FUNCTION.matcher(task.prompt());
    return m.find() ? id + " " + m.group(1) : id;
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  /**
   * XMLStreamWriter escapes markup but passes through characters XML 1.0 cannot carry at all (most
   * C0 controls, lone surrogates), which a compiler's or a crashing program's stderr may hold.
   */
  static String xmlSafe(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD)) {
        out.append(c);
      } else {
        out.append('\uFFFD');
      }
    }
    return out.toString();
  }
}
