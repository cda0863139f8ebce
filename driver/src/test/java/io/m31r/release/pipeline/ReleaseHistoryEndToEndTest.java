package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.testing.AttestedRebuilds;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.testing.SampleWorkspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five releases of one workspace into one release root, everything real (Spark, the DJL models,
 * rustc, git, the rebuild checks): a weaker first model, a better second one, a worse third one the
 * regression gate blocks, a documentation patch of the second, and a suite that gained tasks. Two
 * trainings only: the sample's cached 120-step model and a 40-step variant trained here; the 0.3.0
 * candidate reuses the 40-step weights. 0.1.0 retrains in its rebuild stage; the three releases of
 * the 120-step model hand in one signed rebuild record instead (the attested path), so the test
 * retrains that model once, not three times.
 */
class ReleaseHistoryEndToEndTest {
  private static final int WEAK_STEPS = 40;

  @TempDir Path tmp;

  private Path ws;
  private Path root;

  @Test
  void fiveReleasesOfOneWorkspace() throws Exception {
    long start = System.nanoTime();
    ws = SampleWorkspaces.copy(tmp);
    root = tmp.resolve("release");
    cheapTestCommand();
    String strongConfig = Files.readString(ws.resolve("config.yaml"));
    String weakConfig = strongConfig.replace("max_steps: 120", "max_steps: " + WEAK_STEPS);
    assertNotEquals(strongConfig, weakConfig);
    Path strong = SampleWorkspaces.copyTree(ws.resolve("checkpoint"), tmp.resolve("model-120"));
    Path weak = tmp.resolve("model-" + WEAK_STEPS);
    Files.writeString(ws.resolve("config.yaml"), weakConfig);
    Cli.Run train = Cli.run("--config", ws.resolve("config.yaml").toString(), "sample", "--rebuild-model", "--out", weak.toString(), "--quiet");
    assertEquals(0, train.exitCode(), train.err());
    long trained = System.nanoTime();

    // 0.1.0: the weaker model. The targets are the user's to set; these let a first, weak model out.
    useModel(weak, weakConfig);
    Files.writeString(ws.resolve("release.yaml"), Files.readString(ws.resolve("release.yaml"))
        .replace("min_compile_rate: 0.7", "min_compile_rate: 0.1").replace("min_pass_at_1: 0.4", "min_pass_at_1: 0.1"));
    commit("feat(model): first model, " + WEAK_STEPS + " training steps");
    assertEquals(0, export("0.1.0", "A").exitCode());
    JsonNode m1 = metadata("0.1.0");
    assertEquals("0.1.0\n", Files.readString(root.resolve("CURRENT")));
    Map<String, Boolean> tasks1 = outcomes(m1);
    assertEquals(m1.at("/metrics_summary/tasks").asInt(), tasks1.size());
    assertTrue(m1.at("/metrics_summary/comparison/previous_version").isNull());
    double weakPass1 = m1.at("/metrics_summary/quality/pass_at_k/1").asDouble();
    assertTrue(weakPass1 < 0.9, "the " + WEAK_STEPS + "-step model should be weaker: pass@1 " + weakPass1);

    // 0.2.0: the better model. Its changelog gives the metric changes and the tasks that flipped.
    useModel(strong, strongConfig);
    AttestedRebuilds.attest(ws, strong, tmp);
    commit("feat(model): train for 120 steps, rebuild attested by the training cluster");
    assertEquals(0, export("0.2.0", "A").exitCode());
    JsonNode m2 = metadata("0.2.0");
    assertEquals("local", m1.at("/rebuild/kind").asText());
    assertEquals("attested", m2.at("/rebuild/kind").asText());
    assertEquals("0.2.0\n", Files.readString(root.resolve("CURRENT")));
    double strongPass1 = m2.at("/metrics_summary/quality/pass_at_k/1").asDouble();
    assertTrue(strongPass1 > weakPass1, strongPass1 + " vs " + weakPass1);
    JsonNode c2 = m2.at("/metrics_summary/comparison");
    assertEquals("0.1.0", c2.path("previous_version").asText());
    assertFalse(c2.path("previous_benchmarked_again").asBoolean(), "same suite with task outcomes: the published numbers serve");
    assertEquals(m1.at("/metrics_summary/suite_digest").asText(), c2.path("compared_on_suite_digest").asText());
    List<String> fixed = flips(tasks1, outcomes(m2), false);
    List<String> broke = flips(tasks1, outcomes(m2), true);
    assertFalse(fixed.isEmpty(), "a better model passes tasks the weaker one failed");
    assertEquals(fixed, texts(c2.at("/flips/failed_to_passed")));
    assertEquals(broke, texts(c2.at("/flips/passed_to_failed")));
    String changelog2 = GitCli.run(ws, "cat-file", "-p", "v0.2.0");
    assertTrue(changelog2.contains(String.format(Locale.ROOT, "pass@1: %.4f -> %.4f (%+.4f against 0.1.0)",
        weakPass1, strongPass1, strongPass1 - weakPass1)), changelog2);
    assertTrue(changelog2.contains(String.format(Locale.ROOT, "compile_rate: %.4f -> %.4f",
        m1.at("/metrics_summary/quality/compile_rate").asDouble(), m2.at("/metrics_summary/quality/compile_rate").asDouble())), changelog2);
    assertTrue(changelog2.contains("failed -> passed against 0.1.0: " + fixed.size() + " task(s): " + String.join(", ", fixed)), changelog2);
    assertTrue(changelog2.contains("passed -> failed against 0.1.0: "
        + (broke.isEmpty() ? "none" : broke.size() + " task(s): " + String.join(", ", broke))), changelog2);
    assertTrue(Files.readString(root.resolve("0.2.0/README.txt")).contains("failed -> passed against 0.1.0"));
    String html2 = report("0.2.0");
    assertTrue(html2.contains(escape("failed -> passed against 0.1.0")) && html2.contains(fixed.get(0)), html2);

    // 0.3.0: the weaker weights again. Blocked by the regression gate, naming metric, values and drop.
    useModel(weak, weakConfig);
    commit("feat(model): retrain with fewer steps");
    Map<String, String> rootBefore = ReleaseFixtures.snapshot(root);
    Cli.Run blocked = export("0.3.0", "A");
    assertEquals(3, blocked.exitCode(), blocked.err());
    String regression = String.format(Locale.ROOT, "pass@1 regression: baseline %.4f, candidate %.4f (relative drop %.2f%%, limit 5%%)",
        strongPass1, weakPass1, (strongPass1 - weakPass1) / strongPass1 * 100);
    assertTrue(blocked.err().contains(regression), regression + " not in: " + blocked.err());
    String html3 = report("0.3.0");
    assertTrue(html3.contains("Blocked: ") && html3.contains(escape(regression)), html3);
    List<String> broke3 = flips(outcomes(m2), tasks1, true);
    assertFalse(broke3.isEmpty());
    assertTrue(html3.contains(escape("passed -> failed against 0.2.0")) && html3.contains(broke3.size() + " task(s): " + String.join(", ", broke3)),
        html3);
    assertEquals(rootBefore, ReleaseFixtures.snapshot(root), "a blocked export publishes nothing");
    assertEquals("0.2.0\n", Files.readString(root.resolve("CURRENT")));
    assertFalse(GitCli.run(ws, "tag", "--list").contains("v0.3.0"));

    // 0.2.1: type C, the 0.2.0 model with a documentation fix; CURRENT stays at the newest type A.
    useModel(strong, strongConfig);
    commit("revert: back to the 120-step model");
    Files.writeString(ws.resolve("README.md"), Files.readString(ws.resolve("README.md")) + "\nReleases: see the release root's index.json.\n");
    commit("docs: say where the releases are listed");
    Cli.Run patch = export("0.2.1", "C");
    assertEquals(0, patch.exitCode(), patch.err());
    JsonNode m21 = metadata("0.2.1");
    assertEquals("C", m21.path("release_type").asText());
    assertEquals(m2.path("model_hash").asText(), m21.path("model_hash").asText());
    assertEquals("0.2.0\n", Files.readString(root.resolve("CURRENT")), "CURRENT is the newest type A release (docs/release-format.md)");
    assertEquals(List.of(), texts(m21.at("/metrics_summary/comparison/flips/passed_to_failed")));
    assertEquals(List.of(), texts(m21.at("/metrics_summary/comparison/flips/failed_to_passed")));
    Cli.Run verify = Cli.run("verify", "0.2.1", "--root", root.toString());
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());

    // A suite that gained tasks: 0.2.1's package is benchmarked again on it; nothing exits 2.
    String oldSuite = m21.at("/metrics_summary/suite_digest").asText();
    List<String> added = growSuite(3);
    commit("feat(bench): three more completion tasks");
    Cli.Run grown = export("0.4.0", "A");
    assertEquals(0, grown.exitCode(), grown.err());
    JsonNode m4 = metadata("0.4.0");
    String newSuite = m4.at("/metrics_summary/suite_digest").asText();
    assertNotEquals(oldSuite, newSuite);
    JsonNode c4 = m4.at("/metrics_summary/comparison");
    assertEquals("0.2.1", c4.path("previous_version").asText());
    assertTrue(c4.path("previous_benchmarked_again").asBoolean());
    assertEquals(oldSuite, c4.path("previous_suite_digest").asText());
    assertEquals(newSuite, c4.path("compared_on_suite_digest").asText());
    assertTrue(outcomes(m4).keySet().containsAll(added), outcomes(m4).toString());
    // The same model on the same suite: nothing moves, per metric or per task.
    assertEquals(0.0, c4.at("/pass@1/change").asDouble(), 0.0);
    assertEquals(List.of(), texts(c4.at("/flips/passed_to_failed")));
    assertEquals(List.of(), texts(c4.at("/flips/failed_to_passed")));
    String html4 = report("0.4.0");
    assertTrue(html4.contains(oldSuite) && html4.contains(newSuite), html4);
    assertTrue(GitCli.run(ws, "cat-file", "-p", "v0.4.0").contains("compared on suite " + newSuite + ": 0.2.1 (published with suite " + oldSuite));
    assertEquals("0.4.0\n", Files.readString(root.resolve("CURRENT")));

    System.err.printf(Locale.ROOT, "release history: %.1f s in all, of which %.1f s training the %d-step model%n",
        (System.nanoTime() - start) / 1e9, (trained - start) / 1e9, WEAK_STEPS);
  }

  private Cli.Run export(String version, String type) {
    long t0 = System.nanoTime();
    Cli.Run run = Cli.run("--config", ws.resolve("release.yaml").toString(), "export", "--version", version, "--type", type, "--quiet");
    System.err.printf(Locale.ROOT, "release history: export %s (type %s) exit %d in %.1f s%n", version, type, run.exitCode(),
        (System.nanoTime() - t0) / 1e9);
    return run;
  }

  /** The checkpoint and the training config it was trained from, as one consistent pair. */
  /**
   * The tests gate is not this test's subject (TestsStageTest and every other export test run the
   * sample's real check-suite, about 15 s a run): one shell line that writes a passing JUnit XML
   * into {reports} stands in for it, in each of the five exports.
   */
  private void cheapTestCommand() throws IOException {
    Path config = ws.resolve("release.yaml");
    com.fasterxml.jackson.dataformat.yaml.YAMLMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode) yaml.readTree(config.toFile());
    com.fasterxml.jackson.databind.node.ArrayNode command = ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("release"))
        .putArray("test_command");
    command.add("sh").add("-c")
        .add("printf '%s' '<testsuite name=\"history\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">"
            + "<testcase classname=\"history\" name=\"gate\"/></testsuite>' > \"$0/TEST-history.xml\"")
        .add("{reports}");
    Files.write(config, yaml.writeValueAsBytes(doc));
  }

  private void useModel(Path model, String trainingConfig) throws IOException {
    Path checkpoint = ws.resolve("checkpoint");
    for (String name : List.of("model.safetensors", "model.training.json")) {
      Files.copy(model.resolve(name), checkpoint.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(ws.resolve("config.yaml"), trainingConfig);
    Files.writeString(checkpoint.resolve("config.yaml"), trainingConfig);
    TreeMap<String, String> digests = new TreeMap<>();
    for (String name : List.of("config.yaml", "model.safetensors", "tokenizer.json")) {
      digests.put(name, Sha256.hex(Files.readAllBytes(checkpoint.resolve(name))));
    }
    Files.writeString(checkpoint.resolve("checksum.txt"), Sha256sumListing.render(digests));
  }

  /** Copies of the first {@code n} tasks under new names; returns the new task ids ({@code <category>/<folder>}). */
  private List<String> growSuite(int n) throws IOException {
    Path suite = ws.resolve("benchmarks/completion");
    List<String> ids;
    try (var s = Files.list(suite)) {
      ids = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> added = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = String.format(Locale.ROOT, "task_%03d", ids.size() + 1 + i);
      Path to = SampleWorkspaces.copyTree(suite.resolve(ids.get(i)), suite.resolve(name));
      Files.writeString(to.resolve("Cargo.toml"), Files.readString(to.resolve("Cargo.toml")).replace(ids.get(i), name));
      added.add("completion/" + name);
    }
    return added;
  }

  private void commit(String message) {
    SampleWorkspaces.commitAll(ws, message);
  }

  private JsonNode metadata(String version) throws IOException {
    return CanonicalJson.mapper().readTree(root.resolve(version).resolve("metadata.json").toFile());
  }

  private String report(String version) throws IOException {
    return Files.readString(tmp.resolve("release-reports").resolve(version + ".html"));
  }

  private static Map<String, Boolean> outcomes(JsonNode metadata) {
    Map<String, Boolean> out = new TreeMap<>();
    metadata.at("/metrics_summary/quality/task_outcomes").fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText().equals("passed")));
    return out;
  }

  /** Computed here from the two records, independently of the code under test. */
  private static List<String> flips(Map<String, Boolean> before, Map<String, Boolean> after, boolean broke) {
    return after.entrySet().stream()
        .filter(e -> before.containsKey(e.getKey()) && before.get(e.getKey()) == broke && e.getValue() != broke)
        .map(Map.Entry::getKey).sorted().toList();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}
