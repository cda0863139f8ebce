package io.m31r.release.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.testing.ReleaseFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseMetadataCodecTest {
  @TempDir Path tmp;

  private final ReleaseMetadataCodec codec = new ReleaseMetadataCodec();

  private ReleaseMetadata sample() throws Exception {
    return ReleaseFixtures.metadata(ReleaseFixtures.writeModelFiles(tmp.resolve("m"), 0), "1.2.0", ReleaseType.A);
  }

  @Test
  void writesCanonicalSortedJsonAndReadsItBack() throws Exception {
    ReleaseMetadata m = sample();
    byte[] bytes = codec.write(m);
    ObjectNode tree = (ObjectNode) CanonicalJson.mapper().readTree(bytes);
    assertArrayEquals(CanonicalJson.bytes(tree), bytes, "already canonical");
    List<String> keys = new ArrayList<>();
    tree.fieldNames().forEachRemaining(keys::add);
    assertEquals(keys.stream().sorted().toList(), keys);
    assertEquals(18, keys.size());
    assertEquals(tree.get("dataset").get("root_sha256"), tree.get("dataset_version"));
    assertEquals("v1.2.0", tree.get("git_tag").textValue());
    assertEquals(m, codec.read(bytes, "metadata.json"));
  }

  @Test
  void theDatasetListingDigestIsWrittenWhenKnownAndOlderReleasesWithoutItStillRead() throws Exception {
    ReleaseMetadata old = sample();
    ObjectNode oldTree = (ObjectNode) CanonicalJson.mapper().readTree(codec.write(old));
    assertFalse(oldTree.get("dataset").has("manifest_sha256"));
    assertEquals(old, codec.read(CanonicalJson.bytes(oldTree), "metadata.json"));

    ObjectNode withListing = oldTree.deepCopy();
    ((ObjectNode) withListing.get("dataset")).put("manifest_sha256", io.m31r.release.hashing.Sha256.hex("listing"));
    ReleaseMetadata m = codec.read(CanonicalJson.bytes(withListing), "metadata.json");
    assertEquals(io.m31r.release.hashing.Sha256.hex("listing"), m.dataset().manifestSha256());
    assertArrayEquals(CanonicalJson.bytes(withListing), codec.write(m));

    ((ObjectNode) withListing.get("dataset")).put("manifest_sha256", "not a digest");
    assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(withListing), "metadata.json"));
  }

  @Test
  void rebuildKindsRoundTripAndOlderMetadataWithoutThemStillReads() throws Exception {
    ReleaseMetadata local = sample();
    ObjectNode tree = (ObjectNode) CanonicalJson.mapper().readTree(codec.write(local));
    assertEquals("local", tree.at("/rebuild/kind").textValue());
    assertTrue(tree.at("/rebuild/key_hint").isNull() && tree.at("/rebuild/record_sha256").isNull() && tree.at("/rebuild/device").isNull());

    // Written before kinds existed: read as a local rebuild, written back byte for byte.
    ObjectNode old = tree.deepCopy();
    ((ObjectNode) old.get("rebuild")).remove(List.of("kind", "key_hint", "record_sha256", "device"));
    ReleaseMetadata legacy = codec.read(CanonicalJson.bytes(old), "metadata.json");
    assertEquals(null, legacy.rebuild().kind());
    assertEquals(ReleaseMetadata.RebuildKind.LOCAL, legacy.rebuild().effectiveKind());
    assertArrayEquals(CanonicalJson.bytes(old), codec.write(legacy));

    ObjectNode half = tree.deepCopy();
    ((ObjectNode) half.get("rebuild")).remove("device");
    IntegrityException e = assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(half), "metadata.json"));
    assertEquals("metadata.json: missing key rebuild.device", e.getMessage());

    ReleaseMetadata.Rebuild attested = ReleaseMetadata.Rebuild.attested(
        "train.sh --seed 42", local.modelHash(), io.m31r.release.hashing.Sha256.hex("key"), io.m31r.release.hashing.Sha256.hex("record"),
        "NVIDIA H100 80GB HBM3");
    ReleaseMetadata m = withRebuild(local, attested, ReleaseType.A);
    ObjectNode written = (ObjectNode) CanonicalJson.mapper().readTree(codec.write(m));
    assertEquals("attested", written.at("/rebuild/kind").textValue());
    assertEquals(io.m31r.release.hashing.Sha256.hex("key"), written.at("/rebuild/key_hint").textValue());
    assertEquals(m, codec.read(codec.write(m), "metadata.json"));

    // Only a record a trusted key signed counts as checked; anything less is an experiment's.
    ReleaseMetadata.Rebuild unsigned = ReleaseMetadata.Rebuild.attested(
        "train.sh", local.modelHash(), null, io.m31r.release.hashing.Sha256.hex("record"), "cpu");
    assertFalse(unsigned.checked());
    InvalidReleaseMetadataException typeA =
        assertThrows(InvalidReleaseMetadataException.class, () -> withRebuild(local, unsigned, ReleaseType.A));
    assertTrue(typeA.getMessage().contains("rebuild.checked must be true for a type A release"), typeA.getMessage());
    assertEquals(unsigned, codec.read(codec.write(withRebuild(local, unsigned, ReleaseType.D)), "metadata.json").rebuild());
    ObjectNode kindless = (ObjectNode) CanonicalJson.mapper().readTree(codec.write(m));
    ((ObjectNode) kindless.get("rebuild")).put("kind", "local");
    assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(kindless), "metadata.json"));
  }

  @Test
  void aRebuildOnAnExecutorRoundTripsWithItsDeviceAndCarriesNoRecordFields() throws Exception {
    ReleaseMetadata local = sample();
    ReleaseMetadata m = withRebuild(local, ReleaseMetadata.Rebuild.onExecutor("{m31r} train {config} {out}", local.modelHash(), "cpu"),
        ReleaseType.A);
    ObjectNode written = (ObjectNode) CanonicalJson.mapper().readTree(codec.write(m));
    assertEquals("executor", written.at("/rebuild/kind").textValue());
    assertEquals("cpu", written.at("/rebuild/device").textValue());
    assertTrue(written.at("/rebuild/key_hint").isNull() && written.at("/rebuild/record_sha256").isNull());
    assertEquals(m, codec.read(codec.write(m), "metadata.json"));

    ObjectNode noDevice = written.deepCopy();
    ((ObjectNode) noDevice.get("rebuild")).putNull("device");
    assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(noDevice), "metadata.json"));
    ObjectNode withRecord = written.deepCopy();
    ((ObjectNode) withRecord.get("rebuild")).put("record_sha256", io.m31r.release.hashing.Sha256.hex("record"));
    assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(withRecord), "metadata.json"));
    InvalidReleaseMetadataException legacy = assertThrows(InvalidReleaseMetadataException.class, () -> m.rebuild().inLegacyForm());
    assertTrue(legacy.getMessage().contains("no form without kinds"), legacy.getMessage());
  }

  private static ReleaseMetadata withRebuild(ReleaseMetadata m, ReleaseMetadata.Rebuild rebuild, ReleaseType type) {
    return new ReleaseMetadata(m.architectureCompatibility(), m.configHash(), m.dataset(), m.date(), m.docsVersion(), m.gitCommit(),
        m.gitTag(), m.metricsSummary(), m.modelHash(), rebuild, type, m.tests(), m.tokenizerVersion(), m.tool(), m.trainingSeed(),
        type.trusted(), m.version());
  }

  @Test
  void unknownAndMissingKeysAreIntegrityFailuresNamingTheKey() throws Exception {
    ObjectNode tree = (ObjectNode) CanonicalJson.mapper().readTree(codec.write(sample()));
    ObjectNode extra = tree.deepCopy();
    extra.put("timestamp", "now");
    IntegrityException e1 = assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(extra), "1.2.0/metadata.json"));
    assertEquals("1.2.0/metadata.json: unknown key timestamp", e1.getMessage());
    ObjectNode missing = tree.deepCopy();
    ((ObjectNode) missing.get("tests")).remove("errors");
    IntegrityException e2 = assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(missing), "metadata.json"));
    assertEquals("metadata.json: missing key tests.errors", e2.getMessage());
    ObjectNode badHash = tree.deepCopy();
    badHash.put("model_hash", "unknown");
    IntegrityException e3 = assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(badHash), "metadata.json"));
    assertTrue(e3.getMessage().contains("model_hash"), e3.getMessage());
    ObjectNode badDataset = tree.deepCopy();
    badDataset.put("dataset_version", "0".repeat(64));
    IntegrityException e4 = assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(badDataset), "metadata.json"));
    assertTrue(e4.getMessage().contains("dataset_version"), e4.getMessage());
    assertThrows(IntegrityException.class, () -> codec.read("{".getBytes(StandardCharsets.UTF_8), "metadata.json"));
  }

  @Test
  void valuesOfAnotherTypeAreIntegrityFailuresNamingTheKeyAndTheType() throws Exception {
    ObjectNode tree = (ObjectNode) CanonicalJson.mapper().readTree(codec.write(sample()));
    assertRefused("metadata.json: key tests.errors must be an integer", tree, t -> ((ObjectNode) t.get("tests")).put("errors", "0"));
    assertRefused("metadata.json: key tests.errors must be an integer", tree, t -> ((ObjectNode) t.get("tests")).put("errors", 1L << 40));
    assertRefused("metadata.json: key training_seed must be an integer", tree, t -> t.put("training_seed", 42.5));
    assertRefused("metadata.json: key training_seed must be an integer", tree, t -> t.putNull("training_seed"));
    assertRefused("metadata.json: key trusted must be true or false", tree, t -> t.put("trusted", "true"));
    assertRefused("metadata.json: key release_type must be one of A, B, C, D", tree, t -> t.put("release_type", "E"));
    assertRefused("metadata.json: key release_type must be one of A, B, C, D", tree, t -> t.put("release_type", 0));
    assertRefused("metadata.json: key dataset must be a JSON object", tree, t -> t.put("dataset", "sha256:0"));
    assertRefused("metadata.json: key metrics_summary must be a JSON object", tree, t -> t.putArray("metrics_summary"));
    assertRefused("metadata.json: key config_hash must be a string", tree, t -> t.put("config_hash", 7));
    assertRefused("metadata.json: unknown key rebuild.note", tree, t -> ((ObjectNode) t.get("rebuild")).put("note", "x"));
    assertRefused("metadata.json: missing key dataset_version", tree, t -> t.remove("dataset_version"));
    assertRefused(
        "metadata.json: key version: version '1.2' is not a semantic version MAJOR.MINOR.PATCH[-PRERELEASE] (no leading zeros, no +build)",
        tree, t -> t.put("version", "1.2"));
    assertRefused("metadata.json: metadata rebuild.kind must be none, local or attested: 'cloud'", tree,
        t -> ((ObjectNode) t.get("rebuild")).put("kind", "cloud"));
  }

  private void assertRefused(String message, ObjectNode good, java.util.function.Consumer<ObjectNode> edit) {
    ObjectNode bad = good.deepCopy();
    edit.accept(bad);
    IntegrityException e = assertThrows(IntegrityException.class, () -> codec.read(CanonicalJson.bytes(bad), "metadata.json"));
    assertEquals(message, e.getMessage());
  }

  @Test
  void constructorRefusesValuesTheFormatForbids() throws Exception {
    ReleaseMetadata m = sample();
    InvalidReleaseMetadataException trusted = assertThrows(InvalidReleaseMetadataException.class, () -> new ReleaseMetadata(
        m.architectureCompatibility(), m.configHash(), m.dataset(), m.date(), m.docsVersion(), m.gitCommit(), m.gitTag(),
        m.metricsSummary(), m.modelHash(), m.rebuild(), ReleaseType.D, m.tests(), m.tokenizerVersion(), m.tool(),
        m.trainingSeed(), true, m.version()));
    assertTrue(trusted.getMessage().contains("trusted"), trusted.getMessage());
    InvalidReleaseMetadataException date = assertThrows(InvalidReleaseMetadataException.class, () -> new ReleaseMetadata(
        m.architectureCompatibility(), m.configHash(), m.dataset(), "2026-11-20 10:00", m.docsVersion(), m.gitCommit(),
        m.gitTag(), m.metricsSummary(), m.modelHash(), m.rebuild(), m.releaseType(), m.tests(), m.tokenizerVersion(),
        m.tool(), m.trainingSeed(), m.trusted(), m.version()));
    assertTrue(date.getMessage().contains("date"), date.getMessage());
    InvalidReleaseMetadataException tag = assertThrows(InvalidReleaseMetadataException.class, () -> new ReleaseMetadata(
        m.architectureCompatibility(), m.configHash(), m.dataset(), m.date(), m.docsVersion(), m.gitCommit(), "v9.9.9",
        m.metricsSummary(), m.modelHash(), m.rebuild(), m.releaseType(), m.tests(), m.tokenizerVersion(), m.tool(),
        m.trainingSeed(), m.trusted(), m.version()));
    assertTrue(tag.getMessage().contains("git_tag"), tag.getMessage());
    assertThrows(InvalidReleaseMetadataException.class, () -> ReleaseMetadata.Rebuild.local("make", null));
    assertThrows(InvalidReleaseMetadataException.class, () -> new ReleaseMetadata.Tests(1, -1, 0, 0, 1));
  }

  @Test
  void metricsSummaryCannotBeChangedThroughTheRecord() throws Exception {
    ReleaseMetadata m = sample();
    byte[] before = codec.write(m);
    m.metricsSummary().put("compile_rate", 1.0);
    assertArrayEquals(before, codec.write(m));
  }
}
