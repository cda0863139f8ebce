package io.m31r.release.pipeline;

import io.m31r.release.bench.GpuProbe;
import io.m31r.release.bench.GpuScheduling;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.ship.ExecutorVisibility;
import io.m31r.release.ship.FileShipment;
import io.m31r.release.tasks.rebuild.RebuildInputs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkContext;

/**
 * The checks of what export needs from storage and executors, in the order they run. The list is
 * the single place to add a check (a signing key readable, a git remote reachable): append it in
 * {@link #of}.
 */
final class ExportChecks {
  private ExportChecks() {}

  static List<ExportCheck> of(SparkContext sc, ReleaseSettings s, ReleaseInputs in, ReleaseRoot root, PrintStream progress) {
    List<ExportCheck> checks = new ArrayList<>();
    checks.add(check("staging writable", () -> stagingWritable(root)));
    checks.add(check("executors see staging", () -> executorsSeeStaging(sc, s, in, root)));
    if (s.bench().gpu()) {
      checks.add(check("gpu probe", () -> {
        String script = sc.conf().get(GpuScheduling.DISCOVERY_SCRIPT_KEY, "./gpu-discovery.sh");
        List<GpuProbe.Report> ok = GpuProbe.requireOnePassing(sc, script, progress);
        return ok.size() + " executor(s) ran a tensor op on their assigned GPU";
      }));
    }
    return List.copyOf(checks);
  }

  static long candidateBytes(ReleaseInputs in) {
    long total = 0;
    for (Path p : List.of(in.model(), in.tokenizer(), in.trainingConfig())) {
      try {
        total += Files.size(p);
      } catch (IOException e) {
        throw new BadInputException("cannot read " + p + ": " + e.getMessage());
      }
    }
    return total;
  }

  /**
   * Publish staging and, for a large candidate, the bundle go here: a file is made and removed,
   * and so are the folders this check had to create (a first release's root among them).
   */
  private static String stagingWritable(ReleaseRoot root) {
    org.apache.hadoop.fs.Path area = root.stagingArea();
    org.apache.hadoop.fs.Path probe = new org.apache.hadoop.fs.Path(area, "write-" + UUID.randomUUID());
    try {
      FileSystem fs = root.fileSystem();
      org.apache.hadoop.fs.Path created = fs.exists(root.path()) ? (fs.exists(area) ? null : area) : root.path();
      fs.mkdirs(area);
      try (OutputStream out = fs.create(probe, false)) {
        out.write(1);
      }
      fs.delete(probe, false);
      if (created != null) {
        fs.delete(created, true);
      }
      return area + " is writable";
    } catch (IOException e) {
      throw new InfrastructureException("staging area " + area + " is not writable: " + e.getMessage(), e);
    }
  }

  private static String executorsSeeStaging(SparkContext sc, ReleaseSettings s, ReleaseInputs in, ReleaseRoot root) {
    long size = candidateBytes(in);
    long max = FileShipment.maxShipBytes(sc);
    String what = "the candidate (" + size + " bytes";
    if (s.rebuildOnExecutor()) {
      // Also refuses, before the lease, a training config whose inputs cannot be shipped (exit 2).
      long inputs = RebuildInputs.of(in.trainingConfig()).bytes();
      what += ") and the rebuild inputs (" + inputs + " bytes";
      size = Math.max(size, inputs);
    }
    if (size <= max) {
      return "not needed: " + what + ") " + (s.rebuildOnExecutor() ? "are" : "is") + " shipped with the job (at most "
          + FileShipment.MAX_SHIP_BYTES_KEY + "=" + max + ")";
    }
    ExecutorVisibility.requireVisibleArea(sc, root.stagingArea(), "staging area");
    return "every executor read back a nonce written to " + root.stagingArea();
  }

  private static ExportCheck check(String name, java.util.function.Supplier<String> body) {
    return new ExportCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String run() {
        return body.get();
      }
    };
  }
}
