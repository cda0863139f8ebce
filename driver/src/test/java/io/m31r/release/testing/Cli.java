package io.m31r.release.testing;

import io.m31r.release.cli.M31rCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the real CLI in-process against the shared test SparkSession and captures its output. */
public final class Cli {
  public record Run(int exitCode, String out, String err) {}

  private Cli() {}

  public static Run run(String... args) {
    TestSpark.session();
    return runWithoutSpark(args);
  }

  /** The CLI in-process without starting the shared session: for commands that never start one. */
  public static Run runWithoutSpark(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = M31rCli.execute(args, o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
