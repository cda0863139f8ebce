package io.m31r.release.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.hadoop.SerializableHadoopConf;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.bundle.ChecksumFile;
import io.m31r.release.model.bundle.ModelBundle;
import io.m31r.release.tasks.ship.ExecutorBundles;
import io.m31r.release.tasks.ship.ShippedBundle;
import io.m31r.release.tasks.ship.ShippedFiles;
import io.m31r.release.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a bundle reaches tasks, and what an executor refuses (local Spark; the multi-host case is ClusterExportIT). */
class ShippingTest {
  @TempDir Path tmp;

  @Test
  void aStagedBundleIsCopiedAndVerifiedAgainstTheDriversDigestsNotOnlyItsOwnChecksumFile() throws Exception {
    Path dir = bundle(tmp.resolve("staged"));
    ModelBundle driver = ModelBundle.open(dir, false);
    Map<String, String> digests = new TreeMap<>(Map.of(ReleaseFiles.MODEL, driver.modelSha256(),
        ReleaseFiles.TOKENIZER, driver.tokenizerSha256(), ReleaseFiles.CONFIG, driver.configSha256()));
    List<String> files = List.of(ReleaseFiles.MODEL, ReleaseFiles.TOKENIZER, ReleaseFiles.CONFIG, ReleaseFiles.CHECKSUM);
    SerializableHadoopConf conf = new SerializableHadoopConf(new Configuration());
    ShippedBundle ok = new ShippedBundle(new ShippedFiles(ShippedFiles.Route.SHARED_STORAGE, dir.toUri().toString(), files, conf), digests);
    ModelBundle copy = ExecutorBundles.open(ok);
    assertNotEquals(dir, copy.directory());
    assertEquals(driver.modelSha256(), copy.modelSha256());

    // Someone replaced the staged weights and rewrote checksum.txt to match: still refused.
    Path forged = bundle(tmp.resolve("forged"));
    Files.writeString(forged.resolve(ReleaseFiles.MODEL), "other weights");
    writeChecksums(forged);
    ShippedBundle bad = new ShippedBundle(new ShippedFiles(ShippedFiles.Route.SHARED_STORAGE, forged.toUri().toString(), files, conf), digests);
    IntegrityException e = assertThrows(IntegrityException.class, () -> ExecutorBundles.open(bad));
    assertTrue(e.getMessage().startsWith("model.safetensors shipped as "), e.getMessage());
  }

  @Test
  void aSmallBundleShipsWithTheJobAndALocationNoExecutorSeesIsRefusedWithExit2() throws Exception {
    SparkContext sc = TestSpark.session().sparkContext();
    Path dir = bundle(tmp.resolve("small"));
    ModelBundle driver = ModelBundle.open(dir, false);
    try (BundleShipment s = BundleShipment.ship(sc, driver, null)) {
      assertEquals(ShippedFiles.Route.SPARK_FILES, s.bundle().files().route());
      ShippedBundle shipped = s.bundle();
      List<String> seen = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(sc).parallelize(List.of(1, 2), 2)
          .map(i -> ExecutorBundles.open(shipped).modelSha256()).collect();
      assertEquals(List.of(driver.modelSha256(), driver.modelSha256()), seen);
    }

    Path gone = tmp.resolve("not-there/probe");
    BadInputException e = assertThrows(BadInputException.class, () -> ExecutorVisibility.requireVisible(
        sc, Map.of(gone.toUri().toString(), Sha256.hex("x")), "staging area " + gone.getParent()));
    assertTrue(e.getMessage().startsWith("staging area " + gone.getParent() + " is not visible to executor driver on "), e.getMessage());
    assertTrue(e.getMessage().contains("FileNotFoundException"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static Path bundle(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(ReleaseFiles.MODEL), "weights");
    Files.writeString(dir.resolve(ReleaseFiles.TOKENIZER), "{}");
    Files.writeString(dir.resolve(ReleaseFiles.CONFIG), "model: {}\n");
    writeChecksums(dir);
    return dir;
  }

  private static void writeChecksums(Path dir) throws Exception {
    TreeMap<String, String> d = new TreeMap<>();
    for (String n : List.of(ReleaseFiles.MODEL, ReleaseFiles.TOKENIZER, ReleaseFiles.CONFIG)) {
      d.put(n, Sha256.hex(Files.readAllBytes(dir.resolve(n))));
    }
    Files.writeString(dir.resolve(ReleaseFiles.CHECKSUM), Sha256sumListing.render(d));
  }
}
