package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.config.SigningSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.freeze.DatasetManifest;
import io.m31r.release.freeze.DatasetSelection;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.hashing.ShardDigest;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseMetadataCodec;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.signing.DsseEnvelope;
import io.m31r.release.signing.KeyPairFiles;
import io.m31r.release.signing.KeySource;
import io.m31r.release.signing.ModelSignatureVerifier;
import io.m31r.release.signing.TrustedKeys;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.ReleaseFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign stage on its own, on a staged fixture release: the key is checked when the stage is
 * prepared, a signature covers exactly the staged files and the provenance records the frozen
 * inputs, and the staged package is only read.
 */
class SignStageTest {
  private static final String ENV = "M31R_TEST_SIGNING_KEY";

  @TempDir Path tmp;

  private StagedRelease staged;
  private ReleaseMetadata metadata;
  private ProvenanceSource source;
  private Path root;

  @BeforeEach
  void stageRelease() throws Exception {
    staged = ReleaseFixtures.stage(tmp.resolve("work"), "0.1.0", ReleaseType.A, 0);
    metadata = new ReleaseMetadataCodec().read(Files.readAllBytes(staged.dir().resolve(ReleaseFiles.METADATA)), "metadata.json");
    TreeMap<String, ShardDigest> shards = new TreeMap<>();
    shards.put("part-0.jsonl", new ShardDigest(10, Sha256.hex("shard"), Map.of("records", 2L)));
    DatasetManifest dataset = DatasetManifest.of(new DatasetSelection("file:/data/set", null, false), shards);
    FrozenBundle bundle = FrozenBundle.freeze(staged.dir().resolve(ReleaseFiles.MODEL), staged.dir().resolve(ReleaseFiles.TOKENIZER),
        staged.dir().resolve(ReleaseFiles.CONFIG), tmp.resolve("bundle"));
    FrozenArtifacts frozen = new FrozenArtifacts(dataset, "file:/data/set", bundle, Map.of(), 42);
    source = new ProvenanceSource(Sha256.hex("release.yaml"), frozen, Sha256.hex("suite"));
    root = tmp.resolve("release");
  }

  @Test
  void signsTheStagedFilesAndRecordsTheFrozenInputsWithoutChangingThePackage() throws Exception {
    Path keys = keyPair();
    SignStage stage = SignStage.prepare(new SigningSettings(true, null, ENV, null), tmp,
        env(Files.readString(keys.resolve(KeyPairFiles.PRIVATE))));
    Map<String, String> before = ReleaseFixtures.snapshot(staged.dir());
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    SignStage.Signed signed = stage.run(staged, releaseRoot(), metadata, source, new PrintStream(progress, true)).orElseThrow();

    assertEquals(before, ReleaseFixtures.snapshot(staged.dir()), "signing only reads the staged package");
    byte[] sig = Files.readAllBytes(Path.of(signed.files().signature().toUri()));
    byte[] prov = Files.readAllBytes(Path.of(signed.files().provenance().toUri()));
    assertEquals(root.resolve("signatures/0.1.0.sig"), Path.of(signed.files().signature().toUri()));
    assertEquals(Sha256.hex(sig), signed.signatureSha256());
    assertEquals(Sha256.hex(prov), signed.provenanceSha256());
    assertTrue(progress.toString(StandardCharsets.UTF_8).contains("(key hint " + signed.keyHint() + ")"), progress.toString());

    ModelSignatureVerifier.Verified v = new ModelSignatureVerifier().verify(new org.apache.hadoop.fs.Path(staged.dir().toUri()),
        new Configuration(), sig, "0.1.0.sig", TrustedKeys.publicKeyFile(keys.resolve(KeyPairFiles.PUBLIC)), List.of());
    assertEquals(6, v.statement().resources().size(), "the six release files, checksum.txt among them");

    JsonNode provenance = CanonicalJson.mapper().readTree(DsseEnvelope.parse(prov, "provenance").payload());
    String text = provenance.toString();
    FrozenArtifacts frozen = source.frozen();
    for (String recorded : List.of(frozen.dataset().rootSha256(), Sha256.hex(frozen.dataset().sha256sumListing()),
        frozen.tokenizerSha256(), frozen.configSha256(), source.releaseConfigSha256(), source.suiteDigest(), metadata.gitCommit())) {
      assertTrue(text.contains(recorded), "provenance records " + recorded + ": " + text);
    }
    assertEquals(SigningSettings.DEFAULT_BUILDER_ID, provenance.at("/predicate/runDetails/builder/id").asText());
  }

  @Test
  void withoutAKeyNothingIsWrittenAndTheReleaseIsSaidToBeUnsigned() throws Exception {
    SignStage stage = SignStage.prepare(new SigningSettings(false, null, ENV, null), tmp, env(null));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    Optional<SignStage.Signed> signed = stage.run(staged, releaseRoot(), metadata, source, new PrintStream(progress, true));

    assertTrue(signed.isEmpty());
    assertFalse(Files.exists(root.resolve("signatures")), "no sidecar for an unsigned release");
    assertEquals("sign: environment variable " + ENV + " is unset or empty; release 0.1.0 is published unsigned\n",
        progress.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aKeyThatCannotBeHadIsRefusedWhenTheStageIsPreparedAndNothingIsWritten() throws Exception {
    Map<String, String> before = ReleaseFixtures.snapshot(tmp);

    GateFailedException unset = assertThrows(GateFailedException.class,
        () -> SignStage.prepare(new SigningSettings(true, null, ENV, null), tmp, env("  ")));
    assertEquals(ExitCode.GATE_BLOCKED, unset.exitCode());
    assertEquals("release.signing.required is true but no signing key is available (environment variable " + ENV
        + " is unset or empty); refusing to publish an unsigned release", unset.getMessage());

    BadInputException missingFile = assertThrows(BadInputException.class,
        () -> SignStage.prepare(new SigningSettings(false, "keys/none.pem", null, null), tmp, env(null)));
    assertEquals(ExitCode.BAD_INPUT, missingFile.exitCode());
    assertEquals("config release.signing.private_key_file: no file at " + tmp.resolve("keys/none.pem"), missingFile.getMessage());

    GateFailedException requiredFile = assertThrows(GateFailedException.class,
        () -> SignStage.prepare(new SigningSettings(true, "keys/none.pem", null, null), tmp, env(null)));
    assertEquals(ExitCode.GATE_BLOCKED, requiredFile.exitCode());
    assertTrue(requiredFile.getMessage().endsWith(missingFile.getMessage()), requiredFile.getMessage());

    BadInputException notAKey = assertThrows(BadInputException.class,
        () -> SignStage.prepare(new SigningSettings(false, null, ENV, null), tmp, env("-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n")));
    assertFalse(notAKey.getMessage().contains("c2VjcmV0"), "the key text is never echoed: " + notAKey.getMessage());

    assertEquals(before, ReleaseFixtures.snapshot(tmp), "a refused key writes nothing");
  }

  private Path keyPair() {
    Path keys = tmp.resolve("keys");
    Cli.Run gen = ReleaseFixtures.cli("keygen", "--out", keys.toString());
    assertEquals(0, gen.exitCode(), gen.err());
    return keys;
  }

  private ReleaseRoot releaseRoot() {
    return ReleaseRoot.at(root.toString(), new Configuration());
  }

  private static KeySource env(String value) {
    return new KeySource(name -> name.equals(ENV) ? value : null);
  }
}
