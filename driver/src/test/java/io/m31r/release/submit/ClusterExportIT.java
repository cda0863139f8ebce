package io.m31r.release.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.testing.SampleWorkspaces;
import io.m31r.release.testing.GitCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Export beyond one host's disk.
 *
 * <ul>
 *   <li>A Spark standalone Master and two Workers that this test starts, each Worker in its own
 *       mount namespace with an empty private tmpfs over /tmp and over the driver's scratch folder:
 *       its executors cannot see anything the driver keeps there, as on a cluster of several
 *       hosts. The workspace and the release root are in a folder all of them see (as a shared
 *       mount would be). Export must pass there, with the rebuild from scratch run on one of those
 *       executors ({@code rebuild_on: executor}) from inputs staged for it.
 *   <li>Executors with a fake GPU (a discovery script that answers address 7): only the GPU
 *       probe's tasks get a GPU, they ask the runtime for exactly gpu:7, and on this CPU-only
 *       libtorch every probe fails, naming the device, so export refuses with exit 2.
 * </ul>
 */
class ClusterExportIT {
  private static final Duration EXPORT_LIMIT = Duration.ofMinutes(12);
  private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://127\\.0\\.0\\.1:\\d+)");

  private static Path master;

  @BeforeAll
  static void sampleWorkspace() throws Exception {
    // The build's cached training when the unit tests made one already.
    master = SampleWorkspaces.master();
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void exportPassesOnAStandaloneClusterWhoseExecutorsCannotSeeTheDriversDisk() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")),
        "needs root: the Workers are started in their own mount namespace (unshare --mount); CI runs as root");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) || Files.isExecutable(Path.of("/bin/unshare")),
        "needs util-linux unshare for the Workers' private mount namespaces");
    Path dir = Files.createDirectories(SparkHome.testDir(ClusterExportIT.class).resolve("isolated"));
    SparkHome spark = SparkHome.build(dir.resolve("spark-home"));
    Path ws = SampleWorkspaces.copyTree(master, dir.resolve("ws"));
    // This test is about what executors see, not speed: three JVMs on two shared cores measured
    // 50.4 ms/token once against the sample's 50 ms target, so the latency gate is relaxed here.
    Path yaml = ws.resolve("release.yaml");
    String config = Files.readString(yaml, StandardCharsets.UTF_8);
    String relaxed = config.replaceFirst("(?m)^(\\s+)max_ms_per_token: .*$", "$1max_ms_per_token: 1000.0");
    assertFalse(relaxed.equals(config), "release.gates.max_ms_per_token not found in " + config);
    // The rebuild from scratch runs on an isolated executor too: its inputs must be staged there.
    String onExecutor = relaxed.replaceFirst("(?m)^(\\s+)rebuild_command:", "$1rebuild_on: \"executor\"\n$1rebuild_command:");
    assertFalse(onExecutor.equals(relaxed), "release.rebuild_command not found in " + relaxed);
    Files.writeString(yaml, onExecutor, StandardCharsets.UTF_8);
    GitCli.run(ws, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam",
        "test(release): relax latency on a shared machine, rebuild on an executor");
    // The driver's own scratch folder, hidden from the Workers as /tmp is.
    Path driverLocal = Files.createDirectories(dir.resolve("submit-export-local"));

    List<Subprocess> daemons = new ArrayList<>();
    try {
      Subprocess m = spark.startDaemon("master", dir, List.of(), "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
      daemons.add(m);
      String url = awaitLog(m, MASTER_URL, Duration.ofSeconds(90)).group(1);
      String hide = "mount -t tmpfs -o size=2g tmpfs /tmp && mount -t tmpfs -o size=64m tmpfs '" + driverLocal + "' &&";
      for (int i = 1; i <= 2; i++) {
        Subprocess w = spark.startDaemon("worker" + i, dir,
            List.of("unshare", "--mount", "--propagation", "private", "bash", "-c", hide),
            "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
            "--cores", "1", "--memory", "1g", "--work-dir", "/tmp/spark-worker", url);
        daemons.add(w);
      }
      for (int i = 1; i <= 2; i++) {
        awaitLog(daemons.get(i), Pattern.compile("Successfully registered with master"), Duration.ofSeconds(90));
      }

      SparkHome.Submission export = spark.start(url, "submit-export", dir, List.of(
              "spark.executor.memory=1g", "spark.executor.cores=1",
              // The sample is small enough to ship with the job: stage it, as a real model would be.
              "spark.m31r.bundle.shipMaxBytes=0"),
          "--config", ws.resolve("release.yaml").toString(), "export", "--version", "0.1.0", "--type", "A");
      Subprocess.Result r;
      try (export) {
        r = export.process().await(EXPORT_LIMIT);
      }
      assertEquals(0, r.exitCode(), "spark-submit export on the isolated cluster:\n" + r.errTail());
      assertTrue(r.out().contains("(rebuilt from scratch on an executor: identical)"), r.out());
      assertTrue(r.err().contains("rebuild: on an executor (") && r.err().contains("input files, SHARED_STORAGE)"), r.errTail());
      assertEquals(ExportLocalClusterIT.SIX, list(dir.resolve("release/0.1.0")));
      JsonNode rebuild = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(dir.resolve("release/0.1.0/metadata.json").toFile()).path("rebuild");
      assertEquals("executor", rebuild.path("kind").asText(), rebuild.toString());
      assertEquals("cpu", rebuild.path("device").asText(), rebuild.toString());
      // The staged candidate and the probe's nonce are gone; the staging area itself may stay.
      Path staging = dir.resolve("release/.staging");
      assertTrue(!Files.exists(staging) || list(staging).isEmpty(), "staging leftovers: " + (Files.exists(staging) ? list(staging) : ""));
      EventLog log = EventLog.read(export.eventLogDir());
      assertEquals(java.util.Set.of("0", "1"), log.executorsWithSuccessfulTasks(), "both isolated executors ran tasks");
      assertEquals("v0.1.0\n", GitCli.run(ws, "tag", "-l", "v0.1.0"));
    } finally {
      for (int i = daemons.size() - 1; i >= 0; i--) {
        daemons.get(i).close();
      }
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void withAFakeGpuOnlyTheProbeTasksGetItAndOnACpuHostExportRefusesWithExit2() throws Exception {
    Path dir = Files.createDirectories(SparkHome.testDir(ClusterExportIT.class).resolve("fake-gpu"));
    SparkHome spark = SparkHome.build(dir.resolve("spark-home"));
    Path ws = SampleWorkspaces.copyTree(master, dir.resolve("ws"));
    Path yaml = ws.resolve("release.yaml");
    String config = Files.readString(yaml, StandardCharsets.UTF_8);
    String gpu = config.replaceFirst("(?m)^(\\s+)seed: 42$", "$1seed: 42\n$1device: gpu");
    assertFalse(gpu.equals(config), "release.bench.seed not found in " + config);
    Files.writeString(yaml, gpu, StandardCharsets.UTF_8);
    GitCli.run(ws, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", "chore(bench): generate on gpu");
    Path script = dir.resolve("fake-gpu-discovery.sh");
    Files.writeString(script, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"7\"]}'\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path root = dir.resolve("release");

    SparkHome.Submission export = spark.start("submit-export-gpu", dir, List.of(
            "spark.worker.resource.gpu.amount=1", "spark.worker.resource.gpu.discoveryScript=" + script,
            "spark.executor.resource.gpu.amount=1", "spark.executor.resource.gpu.discoveryScript=" + script,
            "spark.m31r.bundle.shipMaxBytes=0"),
        "--config", yaml.toString(), "export", "--version", "0.1.0", "--type", "A");
    Subprocess.Result r;
    try (export) {
      r = export.process().await(Duration.ofMinutes(6));
    }
    assertEquals(2, r.exitCode(), "export with bench.device gpu on a CPU host:\n" + r.errTail());
    // The tasks' own reports: Spark gave each probe task address 7 and the runtime was asked for gpu:7.
    List<String> reports = r.err().lines().filter(l -> l.contains("gpu probe: executor")).toList();
    assertEquals(2, reports.size(), r.errTail());
    for (String line : reports) {
      assertTrue(line.contains("was assigned gpu [7], asked the runtime for gpu:7: device gpu:7 failed a tensor op on host "), line);
      assertTrue(line.contains("libtorch 2.7.1") && line.contains("JNI"), line);
    }
    assertTrue(r.err().contains("no executor passed the GPU probe (2 tried)"), r.errTail());
    // Only the GPU probe's stage ran with a GPU profile; the visibility probe kept the default one.
    Map<String, Integer> profiles = stageProfiles(EventLog.read(export.eventLogDir()));
    assertTrue(profiles.entrySet().stream().anyMatch(e -> e.getKey().contains("GpuProbe") && e.getValue() > 0), profiles.toString());
    assertTrue(profiles.entrySet().stream().anyMatch(e -> e.getKey().contains("ExecutorVisibility") && e.getValue() == 0),
        profiles.toString());
    profiles.forEach((stage, id) -> assertTrue(id == 0 || stage.contains("GpuProbe"), stage + " ran with profile " + id));
    // A refusal before any heavy work: nothing published, no tag, staging empty.
    assertFalse(Files.exists(root.resolve("0.1.0")));
    assertEquals("", GitCli.run(ws, "tag", "-l", "v0.1.0"));
    assertTrue(!Files.exists(root.resolve(".staging")) || list(root.resolve(".staging")).isEmpty());
  }

  /** Stage name (call site) to resource profile id, from the event log's stage submissions. */
  private static Map<String, Integer> stageProfiles(EventLog log) {
    Map<String, Integer> out = new TreeMap<>();
    for (JsonNode e : log.events()) {
      if ("SparkListenerStageSubmitted".equals(e.path("Event").asText())) {
        JsonNode info = e.path("Stage Info");
        out.put(info.path("Stage ID").asInt() + " " + info.path("Stage Name").asText() + " " + info.path("Details").asText(),
            info.path("Resource Profile Id").asInt());
      }
    }
    return out;
  }

  private static Matcher awaitLog(Subprocess p, Pattern pattern, Duration limit) throws IOException, InterruptedException {
    Instant end = Instant.now().plus(limit);
    while (Instant.now().isBefore(end)) {
      Matcher m = pattern.matcher(p.errSoFar() + p.outSoFar());
      if (m.find()) {
        return m;
      }
      if (!p.handle().isAlive()) {
        break;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no '" + pattern + "' in the log within " + limit + ":\n" + p.errSoFar());
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
