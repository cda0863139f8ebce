package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.sample.SampleWorkspace;
import io.m31r.release.testing.AttestedRebuilds;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.MiniHdfs;
import io.m31r.release.testing.SampleWorkspaces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code m31r export} of the sample workspace with its dataset and its release root on a real
 * in-process HDFS: the release, the control files and the report all land on HDFS, read-only where
 * the release is concerned, and nothing is written beside the workspace on the local disk. The
 * shared test session has no HDFS settings: the hdfs://127.0.0.1:PORT URIs are all a run needs.
 */
class HdfsExportTest {
  @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();

  @TempDir Path tmp;

  @Test
  void exportPublishesReadOnlyOnHdfsWithIndexAndReportAndRefusesASecondExport() throws Exception {
    Path ws = SampleWorkspaces.copy(tmp);
    String dataset = HDFS.root().resolve("data/sample-dataset").toString();
    HDFS.fs().copyFromLocalFile(false, false, new org.apache.hadoop.fs.Path(ws.resolve("dataset").toUri()), HDFS.path("data/sample-dataset"));
    String root = HDFS.root().resolve("m31r/release").toString();
    // Storage is this test's subject, not retraining: a signed record of the rebuild stands in.
    AttestedRebuilds.attest(ws, ws.resolve(SampleWorkspace.CHECKPOINT), tmp);
    pointReleaseAt(ws, root, dataset);

    Path config = ws.resolve("release.yaml");
    Cli.Run run = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "A", "--quiet");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("released: 0.1.0 (type A"), run.out());
    assertTrue(run.out().contains("report: " + HDFS.root().resolve("m31r/release-reports/0.1.0.html")), run.out());

    assertEquals((short) 0555, HDFS.fs().getFileStatus(HDFS.path("m31r/release/0.1.0")).getPermission().toShort());
    Map<String, byte[]> published = read("m31r/release/0.1.0");
    assertEquals(ExportEndToEndTest.SIX, List.copyOf(published.keySet()));
    for (FileStatus s : HDFS.fs().listStatus(HDFS.path("m31r/release/0.1.0"))) {
      assertEquals((short) 0444, s.getPermission().toShort(), s.getPath().getName());
    }
    assertEquals(0, HDFS.fs().listStatus(HDFS.path("m31r/release/.staging")).length, "the staging copy was renamed away");
    assertEquals("0.1.0\n", text("m31r/release/CURRENT"));
    JsonNode index = CanonicalJson.mapper().readTree(text("m31r/release/index.json"));
    assertEquals("0.1.0", index.at("/releases/0/version").asText(), index.toString());
    assertEquals("0.1.0", index.get("current").asText(), index.toString());
    String html = text("m31r/release-reports/0.1.0.html");
    assertTrue(html.contains("id=\"chart-categories\"") && html.contains("published"), html.substring(0, 200));

    // The dataset was frozen where it lies, on HDFS, and the metadata says so.
    JsonNode metadata = CanonicalJson.mapper().readTree(published.get("metadata.json"));
    assertEquals(dataset, metadata.at("/dataset/uri").asText());
    assertTrue(metadata.at("/rebuild/checked").asBoolean(), metadata.toString());
    // Nothing of the release went to the local disk beside the workspace.
    assertFalse(Files.exists(tmp.resolve("release")));
    assertFalse(Files.exists(tmp.resolve("release-reports")));

    // The reference tool agrees with checksum.txt as read back from HDFS.
    Path local = Files.createDirectories(tmp.resolve("fetched/0.1.0"));
    for (Map.Entry<String, byte[]> e : published.entrySet()) {
      Files.write(local.resolve(e.getKey()), e.getValue());
    }
    Process sha = new ProcessBuilder("sha256sum", "-c", "checksum.txt").directory(local.toFile()).redirectErrorStream(true).start();
    assertEquals(0, sha.waitFor(), new String(sha.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    Cli.Run verify = Cli.run("verify", "0.1.0", "--root", root);
    assertEquals(0, verify.exitCode(), verify.out() + verify.err());
    Cli.Run list = Cli.run("--config", config.toString(), "list", "--root", root);
    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.out().contains("0.1.0") && list.out().contains("* current"), list.out());

    // A second export of the published version with the same inputs: exit 0 (a scheduler's retry),
    // and not a byte on HDFS changed, the report included.
    String reportBefore = html;
    Cli.Run again = Cli.run("--config", config.toString(), "export", "--version", "0.1.0", "--type", "A", "--quiet");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("already released, identical"), again.out());
    Map<String, byte[]> after = read("m31r/release/0.1.0");
    assertEquals(published.keySet(), after.keySet());
    for (String name : published.keySet()) {
      assertArrayEquals(published.get(name), after.get(name), name + " changed");
    }
    assertEquals((short) 0555, HDFS.fs().getFileStatus(HDFS.path("m31r/release/0.1.0")).getPermission().toShort());
    assertEquals(reportBefore, text("m31r/release-reports/0.1.0.html"));
    assertEquals("0.1.0\n", text("m31r/release/CURRENT"));
  }

  /** Rewrites release.yaml's root and dataset and commits, since export wants a clean work tree. */
  private static void pointReleaseAt(Path ws, String root, String dataset) throws IOException {
    Path config = ws.resolve("release.yaml");
    String yaml = Files.readString(config);
    String changed = yaml
        .replaceFirst("(?m)^([ ]+)root: .*$", "$1root: \"" + root + "\"")
        .replaceFirst("(?m)^([ ]+)dataset: .*$", "$1dataset: \"" + dataset + "\"");
    assertTrue(changed.contains("root: \"" + root + "\"") && changed.contains("dataset: \"" + dataset + "\""), changed);
    Files.writeString(config, changed);
    SampleWorkspaces.commitAll(ws, "build(release): publish to HDFS and read the dataset from there");
  }


  private static String text(String key) throws IOException {
    try (InputStream in = HDFS.fs().open(HDFS.path(key))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every file of an HDFS directory by name, sorted. */
  private static Map<String, byte[]> read(String dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    for (FileStatus s : HDFS.fs().listStatus(HDFS.path(dir))) {
      try (InputStream in = HDFS.fs().open(s.getPath())) {
        out.put(s.getPath().getName(), in.readAllBytes());
      }
    }
    return out;
  }
}
