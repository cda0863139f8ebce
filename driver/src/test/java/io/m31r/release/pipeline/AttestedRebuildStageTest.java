package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.m31r.release.attest.RebuildAttestation;
import io.m31r.release.attest.RebuildRecord;
import io.m31r.release.config.ConfigLoader;
import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.ReleaseException;
import io.m31r.release.freeze.DatasetManifest;
import io.m31r.release.freeze.DatasetSelection;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.sample.SampleReleaseConfig;
import io.m31r.release.signing.Dsse;
import io.m31r.release.signing.DsseEnvelope;
import io.m31r.release.signing.KeyPairFiles;
import io.m31r.release.signing.SigningKey;
import io.m31r.release.signing.TrustedKeys;
import io.m31r.release.testing.ReleaseFixtures;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rebuild stage with {@code release.rebuild_attestation}: it accepts a record of a rebuild done
 * elsewhere only when a key trusted at the release date signed it, its inputs are the frozen ones
 * and its model is the candidate. Each refusal names the record and the failed check, and the
 * stage writes nothing (the whole folder, record and work folder included, is compared).
 */
class AttestedRebuildStageTest {
  private static final String DS = Sha256.hex("dataset");
  private static final String TOK = Sha256.hex("tokenizer");
  private static final String CFG = Sha256.hex("config");
  private static final String MODEL = Sha256.hex("model");
  private static final long SEED = 42;
  private static final Instant RELEASE_DATE = Instant.parse("2026-12-05T00:00:00Z");

  @TempDir Path tmp;

  private SigningKey cluster;
  private SigningKey stranger;
  private Path trusted;
  private Path work;
  private final RebuildStage stage = new RebuildStage(new PrintStream(OutputStream.nullOutputStream()));

  @BeforeEach
  void keys() throws Exception {
    cluster = key("cluster");
    stranger = key("stranger");
    trusted = trustedKeys("trusted.yaml", cluster, null, null);
    work = Files.createDirectories(tmp.resolve("work"));
  }

  @Test
  void aRecordSignedByATrustedKeyWithTheFrozenInputsAndTheCandidateModelIsAccepted() throws Exception {
    Path record = write("record.json", RebuildAttestation.render(record(MODEL, DS), Optional.of(cluster)));
    Map<String, String> before = ReleaseFixtures.snapshot(tmp);
    ReleaseMetadata.Rebuild r = stage.attested(source(record, trusted), frozen(Map.of()), ReleaseType.A, RELEASE_DATE);
    assertEquals(ReleaseMetadata.RebuildKind.ATTESTED, r.kind());
    assertTrue(r.checked());
    assertEquals(MODEL, r.modelHash());
    assertEquals(cluster.hint(), r.keyHint());
    assertEquals(Sha256.hex(Files.readAllBytes(record)), r.recordSha256());
    assertEquals("cpu", r.device());
    assertEquals("scripts/m31r sample --rebuild-model --config config.yaml --out /data/rebuild", r.command());
    assertEquals(before, ReleaseFixtures.snapshot(tmp), "the stage retrains nothing and writes nothing");
    // A candidate that records the same device kind is comparable too.
    assertTrue(stage.attested(source(record, trusted), frozen(Map.of("device", "cpu")), ReleaseType.A, RELEASE_DATE).checked());
  }

  @Test
  void anUnsignedRecordIsRefusedForTypeAAndSupportsAnExperimentOnlyUnchecked() throws Exception {
    Path record = write("record.json", RebuildAttestation.render(record(MODEL, DS), Optional.empty()));
    refused(record, trusted, ReleaseType.A, Map.of(), ExitCode.INTEGRITY, "unsigned: ");
    refused(record, trusted, ReleaseType.C, Map.of(), ExitCode.INTEGRITY, "an unsigned rebuild record can support type D only");
    ReleaseMetadata.Rebuild d = stage.attested(source(record, trusted), frozen(Map.of()), ReleaseType.D, RELEASE_DATE);
    assertFalse(d.checked());
    assertNull(d.modelHash());
    assertNull(d.keyHint());
    assertEquals(ReleaseMetadata.RebuildKind.ATTESTED, d.kind());
    // Even for an experiment the record must describe this candidate.
    Path other = write("other.json", RebuildAttestation.render(record(Sha256.hex("another model"), DS), Optional.empty()));
    refused(other, trusted, ReleaseType.D, Map.of(), ExitCode.INTEGRITY, "model digest differs");
  }

  @Test
  void aRecordSignedByAKeyNotAmongTheTrustedOnesIsRefused() throws Exception {
    Path record = write("record.json", RebuildAttestation.render(record(MODEL, DS), Optional.of(stranger)));
    refused(record, trusted, ReleaseType.A, Map.of(), ExitCode.INTEGRITY, "signed by an untrusted key (hint " + stranger.hint());
  }

  @Test
  void aKeyOutsideItsValidityWindowAtTheReleaseDateIsUntrusted() throws Exception {
    Path expired = trustedKeys("expired.yaml", cluster, "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    Path record = write("record.json", RebuildAttestation.render(record(MODEL, DS), Optional.of(cluster)));
    refused(record, expired, ReleaseType.A, Map.of(), ExitCode.INTEGRITY,
        "signed by an untrusted key: 'cluster' is valid from 2025-01-01T00:00:00Z until 2026-01-01T00:00:00Z, the release is dated 2026-12-05T00:00:00Z");
  }

  @Test
  void aRecordOfAnotherDatasetIsRefused() throws Exception {
    String other = Sha256.hex("another dataset");
    Path record = write("record.json", RebuildAttestation.render(record(MODEL, other), Optional.of(cluster)));
    refused(record, trusted, ReleaseType.A, Map.of(), ExitCode.INTEGRITY,
        "inputs differ from the frozen ones: dataset_root_sha256 " + other + " in the record, " + DS + " frozen");
  }

  @Test
  void aRecordOfAnotherModelIsRefused() throws Exception {
    String other = Sha256.hex("another model");
    Path record = write("record.json", RebuildAttestation.render(record(other, DS), Optional.of(cluster)));
    refused(record, trusted, ReleaseType.A, Map.of(), ExitCode.INTEGRITY,
        "model digest differs: the record's rebuilt model.safetensors is " + other + ", the candidate's " + MODEL);
  }

  @Test
  void aSignedRecordMissingAFieldIsBadInput() throws Exception {
    ObjectNode st = (ObjectNode) CanonicalJson.mapper().readTree(record(MODEL, DS).statement());
    ((ObjectNode) st.get("predicate").get("inputs")).remove("seed");
    byte[] payload = CanonicalJson.bytes(st);
    Path record = write("record.json", DsseEnvelope.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, payload, cluster).toJson());
    refused(record, trusted, ReleaseType.A, Map.of(), ExitCode.BAD_INPUT, "missing field predicate.inputs.seed");
  }

  @Test
  void aChangedPayloadOrAnotherDeviceKindIsRefused() throws Exception {
    byte[] signed = RebuildAttestation.render(record(MODEL, DS), Optional.of(cluster));
    ObjectNode env = (ObjectNode) CanonicalJson.mapper().readTree(signed);
    // The model digest swapped inside the payload, the signature kept: a forgery.
    String forged = new String(record(Sha256.hex("forged"), DS).statement(), StandardCharsets.UTF_8);
    env.put("payload", java.util.Base64.getEncoder().encodeToString(forged.getBytes(StandardCharsets.UTF_8)));
    Path record = write("forged.json", CanonicalJson.bytes(env));
    refused(record, trusted, ReleaseType.A, Map.of(), ExitCode.INTEGRITY, "signature invalid");

    Path honest = write("record.json", signed);
    refused(honest, trusted, ReleaseType.A, Map.of("device", "NVIDIA H100 80GB HBM3"), ExitCode.INTEGRITY,
        "device differs: the record's rebuild ran on 'cpu', the candidate records 'NVIDIA H100 80GB HBM3'");
  }

  @Test
  void configNamesTheRecordAndItsKeysBeforeAnyWork() throws Exception {
    ConfigLoader loader = new ConfigLoader();
    ObjectNode yaml = sampleConfig();
    ObjectNode release = (ObjectNode) yaml.get("release");
    release.put("rebuild_attestation", "record.json");
    ReleaseException both = assertThrows(ReleaseException.class, () -> loader.parse("release.yaml", bytes(yaml)));
    assertEquals(ExitCode.BAD_INPUT, both.exitCode());
    assertTrue(both.getMessage().contains("release.rebuild_attestation: give it or a non-empty release.rebuild_command, not both"),
        both.getMessage());
    release.putArray("rebuild_command");
    release.put("rebuild_attestation", "https://example.invalid/record.json");
    assertTrue(assertThrows(ReleaseException.class, () -> loader.parse("release.yaml", bytes(yaml))).getMessage()
        .contains("release.rebuild_attestation: must be a local path"));
    release.put("rebuild_attestation", "record.json");
    ReleaseSettings unsignedOnly = loader.parse("release.yaml", bytes(yaml)).release();
    RebuildStage.requireAllowed(unsignedOnly, ReleaseType.D);
    ReleaseException noKeys = assertThrows(ReleaseException.class, () -> RebuildStage.requireAllowed(unsignedOnly, ReleaseType.A));
    assertEquals(ExitCode.BAD_INPUT, noKeys.exitCode());
    assertTrue(noKeys.getMessage().contains("a type A release needs release.rebuild_trusted_keys"), noKeys.getMessage());
    release.put("rebuild_trusted_keys", "trusted.yaml");
    RebuildStage.requireAllowed(loader.parse("release.yaml", bytes(yaml)).release(), ReleaseType.A);
    release.remove("rebuild_attestation");
    assertTrue(assertThrows(ReleaseException.class, () -> loader.parse("release.yaml", bytes(yaml))).getMessage()
        .contains("release.rebuild_trusted_keys: only used with release.rebuild_attestation"));
  }

  private void refused(Path record, Path keys, ReleaseType type, Map<String, String> candidate, ExitCode code, String expected)
      throws Exception {
    Map<String, String> before = ReleaseFixtures.snapshot(tmp);
    ReleaseException e = assertThrows(ReleaseException.class,
        () -> stage.attested(source(record, keys), frozen(candidate), type, RELEASE_DATE));
    assertEquals(code, e.exitCode(), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains(record.toString()), "names the record: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertEquals(before, ReleaseFixtures.snapshot(tmp), "nothing changed");
  }

  private static RebuildRecord record(String model, String dataset) {
    return new RebuildRecord(model, new RebuildRecord.Inputs(dataset, TOK, CFG, SEED),
        "scripts/m31r sample --rebuild-model --config config.yaml --out /data/rebuild",
        new RebuildRecord.Machine("gpu-node-7", "AMD EPYC 9654 96-Core Processor", "cpu"));
  }

  private FrozenArtifacts frozen(Map<String, String> checkpointMetadata) {
    DatasetManifest dataset = new DatasetManifest(DatasetManifest.FORMAT_VERSION, new DatasetSelection("/data/m31r", null, false), DS, List.of());
    return new FrozenArtifacts(dataset, "/data/m31r", new FrozenBundle(tmp.resolve("candidate"), MODEL, TOK, CFG), checkpointMetadata, SEED);
  }

  private static RebuildAttestationSource source(Path record, Path keys) {
    return new RebuildAttestationSource(record, Optional.of(TrustedKeys.file(keys)));
  }

  private Path write(String name, byte[] bytes) throws Exception {
    return Files.write(tmp.resolve(name), bytes);
  }

  private SigningKey key(String name) throws Exception {
    KeyPairFiles.Written w = KeyPairFiles.generate(tmp.resolve("keys-" + name));
    return SigningKey.fromPem(Files.readAllBytes(w.privateKey()), name);
  }

  private Path trustedKeys(String file, SigningKey key, String from, String until) throws Exception {
    String pem = Files.readString(tmp.resolve("keys-cluster").resolve(KeyPairFiles.PUBLIC));
    assertEquals(cluster.hint(), key.hint());
    StringBuilder y = new StringBuilder("keys:\n  - name: cluster\n");
    if (from != null) {
      y.append("    valid_from: \"").append(from).append("\"\n");
    }
    if (until != null) {
      y.append("    valid_until: \"").append(until).append("\"\n");
    }
    y.append("    public_key: |\n");
    pem.lines().forEach(l -> y.append("      ").append(l).append('\n'));
    return Files.writeString(tmp.resolve(file), y.toString());
  }

  private ObjectNode sampleConfig() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Path file = SampleReleaseConfig.write(dir, "fn main() {");
    ObjectNode tree = (ObjectNode) new YAMLMapper().readTree(file.toFile());
    Files.delete(file);
    Files.delete(dir);
    return tree;
  }

  private static byte[] bytes(ObjectNode yaml) throws Exception {
    return new YAMLMapper().writeValueAsBytes(yaml);
  }
}
