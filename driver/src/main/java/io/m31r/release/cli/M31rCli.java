package io.m31r.release.cli;

import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.ReleaseConfig;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.ReleaseException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code m31r} command. Maps every failure to the exit-code contract in one place: a
 * {@link ReleaseException} exits with its own code and one line; anything else is an internal
 * failure (1), the only code a scheduler should retry.
 */
@Command(
    name = "m31r",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = "Turns a trained M31R model into an immutable, verifiable, tagged release on Apache Spark.",
    subcommands = {
      FreezeCommand.class,
      VerifyDatasetCommand.class,
      SampleCommand.class,
      ImportUpstreamCommand.class,
      CheckSuiteCommand.class,
      InitCommand.class,
      GenerateCommand.class,
      BenchCommand.class,
      ExportCommand.class,
      ReproduceCommand.class,
      VerifyCommand.class,
      ListCommand.class,
      RollbackCommand.class,
      KeygenCommand.class,
      AttestRebuildCommand.class,
      AdoptCommand.class,
      YankCommand.class,
      GcCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:internal or infrastructure failure (the only code worth retrying)",
      "2:usage, configuration or bad input",
      "3:release blocked by a gate",
      "4:integrity failure (checksum mismatch, changed dataset, corrupted artifact)",
      "5:conflict (version, tag or manifest already exists differently)"
    })
public final class M31rCli implements Runnable {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = CommandLine.ScopeType.INHERIT,
      description = "release.yaml to read (default: $M31R_CONFIG, else built-in defaults).")
  Path config;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** The configuration for this run, read strictly. */
  ReleaseConfig config() {
    Path file = configFile();
    return file == null ? ReleaseConfig.DEFAULTS : new ConfigLoader().load(file);
  }

  /** The release.yaml in use ({@code --config}, else {@code $M31R_CONFIG}), or null for the defaults. */
  Path configFile() {
    if (config != null) {
      return config;
    }
    String env = System.getenv("M31R_CONFIG");
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs one command line; returns its exit code. Used by main and by tests. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new M31rCli());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("m31r: " + ex.getMessage());
          ex.getCommandLine().usage(err);
          return ExitCode.BAD_INPUT.code();
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof ReleaseException re) {
            err.println("m31r: " + re.getMessage());
            return re.exitCode().code();
          }
          err.println("m31r: internal error: " + ex);
          ex.printStackTrace(err);
          return ExitCode.INTERNAL.code();
        });
    return cl.execute(args);
  }
}
