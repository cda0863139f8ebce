package io.m31r.release.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Airflow side of the exit-code contract: the Python unit tests of scripts/airflow, and a
 * syntax check of the DAG file. Airflow itself is not installed here, so the DAG is compiled, not
 * imported.
 */
class AirflowScriptsTest {
  private static final Path DIR = Path.of("..", "scripts", "airflow").toAbsolutePath().normalize();

  record Result(int exitCode, String output) {}

  @BeforeAll
  static void needsPython() {
    Assumptions.assumeTrue(python3Present(), "python3 is not installed");
  }

  private static boolean python3Present() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Result python(Path logDir, String... args) throws Exception {
    List<String> command = Stream.concat(Stream.of("python3"), Stream.of(args)).toList();
    Path log = logDir.resolve("python.log");
    ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // No __pycache__ left in the source tree.
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("python3 " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void pythonUnitTestsPass(@TempDir Path tmp) throws Exception {
    Result r = python(tmp, "-m", "unittest", "-v");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("\nOK"), r.output());
    // Discovery found the tests (an empty run also says OK).
    assertTrue(r.output().matches("(?s).*Ran [1-9]\\d* tests?.*"), r.output());
  }

  @Test
  void everyScriptCompiles(@TempDir Path tmp) throws Exception {
    for (String file : List.of("m31r_release_dag.py", "m31r_exit_codes.py", "m31r_commands.py", "m31r_result.py")) {
      assertTrue(Files.isRegularFile(DIR.resolve(file)), file);
      Path compiled = tmp.resolve(file + "c");
      Result r = python(tmp, "-c",
          "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
          file, compiled.toString());
      assertEquals(0, r.exitCode(), file + ": " + r.output());
      assertTrue(Files.size(compiled) > 0, file);
    }
  }

  @Test
  void aSyntaxErrorWouldBeCaught(@TempDir Path tmp) throws Exception {
    Path broken = tmp.resolve("broken_dag.py");
    Files.writeString(broken, "with DAG(\n", StandardCharsets.UTF_8);
    Result r = python(tmp, "-c",
        "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
        broken.toString(), tmp.resolve("broken.pyc").toString());
    assertTrue(r.exitCode() != 0, r.output());
  }
}
