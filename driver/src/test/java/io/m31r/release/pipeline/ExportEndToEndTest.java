package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.SampleWorkspaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code m31r export} on the sample workspace, in local mode, with everything real: Spark, the
 * trained model, rustc, git, the rebuild from scratch in a child process.
 */
class ExportEndToEndTest {
  static final List<String> SIX =
      List.of("README.txt", "checksum.txt", "config.yaml", "metadata.json", "model.safetensors", "tokenizer.json");

  @TempDir Path tmp;

  @Test
  void publishesAVerifiedTaggedReleaseThatReproducesAndNeverChanges() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp.resolve("a"));
    Path config = ws.resolve("release.yaml");
    Cli.Run run = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "A", "--quiet");
    assertEquals(0, run.exitCode(), run.err());
    Path root = tmp.resolve("a/release");
    Path release = root.resolve("0.1.0");
    try (Stream<Path> files = Files.list(release)) {
      assertEquals(SIX, files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(run.out().contains("tag: v0.1.0 on "), run.out());

    // The reference tool agrees with checksum.txt; so does the project's own verifier.
    Process sha = new ProcessBuilder("sha256sum", "-c", "checksum.txt").directory(release.toFile()).redirectErrorStream(true).start();
    assertEquals(0, sha.waitFor(), new String(sha.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    Cli.Run verify = Cli.run("verify", "0.1.0", "--root", root.toString());
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());

    JsonNode metadata = CanonicalJson.mapper().readTree(release.resolve("metadata.json").toFile());
    String head = GitCli.run(ws, "rev-parse", "HEAD").strip();
    assertEquals(head, metadata.get("git_commit").asText());
    assertTrue(metadata.at("/rebuild/checked").asBoolean());
    assertEquals(metadata.get("model_hash").asText(), metadata.at("/rebuild/model_hash").asText());
    // The sample model learnt its corpus: most completions compile and pass their tests.
    assertTrue(metadata.at("/metrics_summary/quality/pass_at_k/1").asDouble() >= 0.8, metadata.toString());
    assertTrue(metadata.at("/tests/tests").asInt() >= 1);

    // Annotated tag on the released commit, its message the changelog.
    String tag = GitCli.run(ws, "cat-file", "-p", "v0.1.0");
    assertTrue(tag.contains("object " + head) && tag.contains("type commit"), tag);
    assertTrue(tag.contains("Metric changes") && tag.contains("Features"), tag);
    assertEquals("0.1.0\n", Files.readString(root.resolve("CURRENT")));
    assertTrue(Files.readString(root.resolve("index.json")).contains("\"0.1.0\""));
    String html = Files.readString(tmp.resolve("a/release-reports/0.1.0.html"));
    assertTrue(html.contains("id=\"chart-categories\"") && html.contains("published"), html.substring(0, 200));

    // The per-shard listing is kept beside the release, recorded by digest, and sha256sum agrees with it.
    Path listing = root.resolve("manifests/0.1.0.sha256");
    assertEquals(io.m31r.release.hashing.Sha256.hex(Files.readAllBytes(listing)), metadata.at("/dataset/manifest_sha256").asText());
    Path dataset = ws.resolve("dataset");
    Process shards = new ProcessBuilder("sha256sum", "--strict", "-c", listing.toString())
        .directory(dataset.toFile()).redirectErrorStream(true).start();
    assertEquals(0, shards.waitFor(), new String(shards.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    Cli.Run same = Cli.run("verify-dataset", "--release", "0.1.0", "--root", root.toString(), "--quiet");
    assertEquals(0, same.exitCode(), same.out() + same.err());

    // A second export of the published version with the same inputs (a retry): exit 0, nothing
    // touched. As type D (other inputs): exit 5, nothing touched either.
    Map<String, byte[]> before = contents(release);
    String reportBefore = html;
    Cli.Run again = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "A", "--quiet");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("already released, identical"), again.out());
    assertBytesEqual(before, contents(release));
    assertEquals(reportBefore, Files.readString(tmp.resolve("a/release-reports/0.1.0.html")));
    Map<String, String> rootBefore = io.m31r.release.testing.ReleaseFixtures.snapshot(root);
    Cli.Run otherType = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "D", "--quiet");
    assertEquals(5, otherType.exitCode(), otherType.err());
    assertTrue(otherType.err().contains("already released with other inputs (type A published, D now)"), otherType.err());
    assertEquals(rootBefore, io.m31r.release.testing.ReleaseFixtures.snapshot(root));
    assertEquals(reportBefore, Files.readString(tmp.resolve("a/release-reports/0.1.0.html")));

    // One byte flipped in any of the six files is caught, naming the file.
    for (String name : SIX) {
      Path copy = tmp.resolve("flipped-" + name).resolve("0.1.0");
      copyDir(release, copy);
      Path f = copy.resolve(name);
      f.toFile().setWritable(true);
      byte[] bytes = Files.readAllBytes(f);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(f, bytes);
      Cli.Run bad = Cli.run("verify", copy.toString());
      assertEquals(4, bad.exitCode(), name + ": " + bad.out() + bad.err());
      assertTrue((bad.out() + bad.err()).contains(name), name + ": " + bad.err());
    }

    // Rebuilt from its recorded inputs, the release comes out the same.
    Cli.Run reproduce = Cli.run("--config", config.toString(), "reproduce", "0.1.0", "--quiet");
    assertEquals(0, reproduce.exitCode(), reproduce.out() + reproduce.err());
    assertTrue(reproduce.out().contains("same model.safetensors: identical"), reproduce.out());
    assertTrue(reproduce.out().contains("excluded by name"), reproduce.out());
    assertBytesEqual(before, contents(release));

    // Drift since the release, traced to shards: one changed, one gone, one new.
    List<String> listed = Files.readAllLines(listing).stream().map(l -> l.substring(66)).toList();
    Path changed = dataset.resolve(listed.get(0));
    Files.write(changed, "drift\n".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
    Files.delete(dataset.resolve(listed.get(1)));
    Files.writeString(dataset.resolve("zz-appeared.jsonl"), "{}\n");
    Cli.Run drift = Cli.run("verify-dataset", "--release", "0.1.0", "--root", root.toString(), "--quiet");
    assertEquals(4, drift.exitCode(), drift.out() + drift.err());
    assertTrue(drift.out().contains("changed: " + listed.get(0) + " (sha256 "), drift.out());
    assertTrue(drift.out().contains("missing: " + listed.get(1)), drift.out());
    assertTrue(drift.out().contains("extra: zz-appeared.jsonl"), drift.out());
  }

  @Test
  void twoExportsOfTheSameInputsGiveTheSamePackage() throws Exception {
    Path parent = tmp.resolve("same");
    Path ws = SampleWorkspaces.copy(parent);
    Cli.Run first = Cli.run("--config", ws.resolve("release.yaml").toString(), "export", "--version", "0.1.0", "--type", "A", "--quiet");
    assertEquals(0, first.exitCode(), first.err());
    Map<String, byte[]> one = contents(parent.resolve("release/0.1.0"));
    SampleWorkspaces.deleteTree(parent);
    // The same inputs at the same place (the dataset's location is recorded): a fresh copy.
    ws = SampleWorkspaces.copy(parent);
    Cli.Run second = Cli.run("--config", ws.resolve("release.yaml").toString(), "export", "--version", "0.1.0", "--type", "A", "--quiet");
    assertEquals(0, second.exitCode(), second.err());
    Map<String, byte[]> two = contents(parent.resolve("release/0.1.0"));
    for (String name : List.of("README.txt", "config.yaml", "model.safetensors", "tokenizer.json")) {
      assertTrue(java.util.Arrays.equals(one.get(name), two.get(name)), name + " differs between two exports");
    }
    // metadata.json differs only in the measurements named as non-repeatable (latency, memory).
    ObjectNode m1 = (ObjectNode) CanonicalJson.mapper().readTree(one.get("metadata.json"));
    ObjectNode m2 = (ObjectNode) CanonicalJson.mapper().readTree(two.get("metadata.json"));
    ((ObjectNode) m1.get("metrics_summary")).remove("performance");
    ((ObjectNode) m2.get("metrics_summary")).remove("performance");
    assertEquals(m1, m2);
    assertEquals(MetricsSummary.NON_REPEATABLE, List.of("metrics_summary.performance"));
  }

  static Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  static void assertBytesEqual(Map<String, byte[]> a, Map<String, byte[]> b) {
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertTrue(java.util.Arrays.equals(a.get(k), b.get(k)), k + " changed");
    }
  }

  static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.copy(p, to.resolve(p.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    assertFalse(Files.isSymbolicLink(to));
  }
}
