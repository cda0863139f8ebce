package io.m31r.release.cli;

import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.logging.WriterOutputStream;
import io.m31r.release.spark.SparkSessions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** A command that runs a Spark stage: reads the config, opens the session, closes what it opened. */
abstract class SparkCommand implements Callable<Integer> {
  @CommandLine.ParentCommand M31rCli parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public final Integer call() {
    ReleaseConfig config = parent.config();
    try (SparkSessions.Handle spark = SparkSessions.open("m31r " + spec.name(), config)) {
      return run(spark, config);
    }
  }

  abstract int run(SparkSessions.Handle spark, ReleaseConfig config);

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintStream err() {
    return new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
  }
}
