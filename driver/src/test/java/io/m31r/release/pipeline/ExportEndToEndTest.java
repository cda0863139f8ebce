package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.signing.KeyPairFiles;
import io.m31r.release.sample.SampleWorkspace;
import io.m31r.release.testing.AttestedRebuilds;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.GitCli;
import io.m31r.release.testing.SampleWorkspaces;
import io.m31r.release.testing.SigningKit;
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
    // The tag goes to a remote too, as on an ephemeral runner: a bare repository at a file: URL.
    Path remote = tmp.resolve("remote.git");
    GitCli.run(tmp, "init", "-q", "--bare", remote.toString());
    Files.writeString(config, Files.readString(config) + "  git_remote:\n    url: \"" + remote.toUri() + "\"\n");
    SampleWorkspaces.commitAll(ws, "chore(release): push release tags to the team remote");
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
    String tagObject = GitCli.run(ws, "rev-parse", "v0.1.0").strip();
    assertEquals(tagObject + "\trefs/tags/v0.1.0\n" + head + "\trefs/tags/v0.1.0^{}\n",
        GitCli.run(remote, "ls-remote", remote.toString()), "exactly the one tag arrives, no branch");
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
    // touched but what was missing (here the remote's tag, lost). As type D (other inputs): exit 5,
    // nothing touched either.
    GitCli.run(remote, "tag", "-d", "v0.1.0");
    Map<String, byte[]> before = contents(release);
    String reportBefore = html;
    Cli.Run again = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "A", "--quiet");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("already released, identical"), again.out());
    assertEquals(tagObject + "\trefs/tags/v0.1.0\n" + head + "\trefs/tags/v0.1.0^{}\n",
        GitCli.run(remote, "ls-remote", remote.toString()), "the retry pushed the missing tag");
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
  void twoSignedExportsOfTheSameInputsGiveTheSamePackageAndSignedDigests() throws Exception {
    // One key, kept outside the repository; the workspace signs with it from a committed
    // release.yaml. The prepared workspace is copied to the same place for each export, since the
    // dataset's location is recorded.
    Path keys = tmp.resolve("keys");
    Cli.Run gen = Cli.runWithoutSpark("keygen", "--out", keys.toString());
    assertEquals(0, gen.exitCode(), gen.err());
    Path key = keys.resolve(KeyPairFiles.PRIVATE);
    Path template = SampleWorkspaces.copy(tmp.resolve("template"));
    Path yaml = template.resolve("release.yaml");
    String config = Files.readString(yaml);
    String signed = config.replace("private_key_env: \"M31R_SIGNING_KEY\"", "private_key_file: \"" + key + "\"");
    assertFalse(signed.equals(config), "the sample release.yaml no longer names M31R_SIGNING_KEY");
    Files.writeString(yaml, signed);
    // Retraining twice is not what this test is about (the local rebuild is checked above): both
    // exports check one signed rebuild record, kept beside the copies at the same relative place.
    AttestedRebuilds.attest(template, template.resolve(SampleWorkspace.CHECKPOINT), Files.createDirectories(tmp.resolve("attested")));
    SampleWorkspaces.commitAll(template, "chore(release): sign releases with the team key, rebuild attested");

    Path parent = tmp.resolve("same");
    List<String> outputs = new java.util.ArrayList<>();
    Map<String, byte[]> one = signedExport(template, parent, outputs);
    Files.createDirectories(tmp.resolve("first"));
    Path firstSig = tmp.resolve("first/0.1.0.sig");
    Files.copy(parent.resolve("release/signatures/0.1.0.sig"), firstSig);
    SampleWorkspaces.deleteTree(parent);
    Map<String, byte[]> two = signedExport(template, parent, outputs);
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

    // The signature covers metadata.json through checksum.txt, whose measured times differ between
    // runs; every other signed digest is the same in both statements. (Signing the same files twice
    // gives the same bytes: ReleaseSigningTest.twoSigningsOfTheSameInputsAreByteIdentical.)
    Path root = parent.resolve("release");
    Path sig = root.resolve("signatures/0.1.0.sig");
    Path release = root.resolve("0.1.0");
    Map<String, String> signedOne = signedDigests(firstSig);
    Map<String, String> signedTwo = signedDigests(sig);
    assertEquals(new java.util.TreeSet<>(SIX), signedOne.keySet());
    for (String name : SIX) {
      if (!name.equals("metadata.json") && !name.equals("checksum.txt")) {
        assertEquals(signedOne.get(name), signedTwo.get(name), name);
      }
    }
    assertEquals(java.util.Arrays.equals(one.get("metadata.json"), two.get("metadata.json")),
        java.util.Arrays.equals(Files.readAllBytes(firstSig), Files.readAllBytes(sig)));

    // Independent verifiers of the model-signing format accept the exported release and refuse one
    // flipped byte; so does m31r verify with the public key.
    Path pub = keys.resolve(KeyPairFiles.PUBLIC);
    SigningKit.Result js = SigningKit.sigstoreJs(pub, sig, release);
    assertEquals(0, js.exitCode(), js.output());
    SigningKit.Result py = SigningKit.securesystemslib(pub, sig, release);
    assertEquals(0, py.exitCode(), py.output());
    Cli.Run verify = Cli.run("verify", "0.1.0", "--root", root.toString(), "--public-key", pub.toString());
    outputs.add(verify.out() + verify.err());
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    Path flipped = tmp.resolve("flipped/0.1.0");
    copyDir(release, flipped);
    flipped.resolve("model.safetensors").toFile().setWritable(true);
    io.m31r.release.testing.ReleaseFixtures.flipByte(flipped.resolve("model.safetensors"));
    assertEquals(1, SigningKit.sigstoreJs(pub, sig, flipped).exitCode());
    assertEquals(1, SigningKit.securesystemslib(pub, sig, flipped).exitCode());

    // The private key appears in no output and in no file the exports wrote.
    List<String> body = Files.readString(key).lines().filter(l -> !l.startsWith("-----")).toList();
    assertFalse(body.isEmpty());
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.equals(key)).toList()) {
        outputs.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    for (String h : outputs) {
      for (String line : body) {
        assertFalse(h.contains(line), "a line of the private key appears in an output or file");
      }
    }
  }

  /** The file digests of a signature's in-toto statement, by file name. */
  private static Map<String, String> signedDigests(Path sig) throws IOException {
    JsonNode bundle = CanonicalJson.mapper().readTree(sig.toFile());
    byte[] payload = java.util.Base64.getDecoder().decode(bundle.at("/dsseEnvelope/payload").asText());
    Map<String, String> out = new TreeMap<>();
    for (JsonNode r : CanonicalJson.mapper().readTree(payload).at("/predicate/resources")) {
      out.put(r.get("name").asText(), r.get("digest").asText());
    }
    return out;
  }

  private static Map<String, byte[]> signedExport(Path template, Path parent, List<String> outputs) throws IOException {
    Path ws = SampleWorkspaces.copyTree(template, parent.resolve("ws"));
    Cli.Run run = Cli.run("--config", ws.resolve("release.yaml").toString(), "export", "--version", "0.1.0", "--type", "A");
    outputs.add(run.out());
    outputs.add(run.err());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(Files.isRegularFile(parent.resolve("release/signatures/0.1.0.sig")), "no signature beside the release");
    return contents(parent.resolve("release/0.1.0"));
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
