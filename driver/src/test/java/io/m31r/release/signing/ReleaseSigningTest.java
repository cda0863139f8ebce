package io.m31r.release.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.config.SigningSettings;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseMetadataCodec;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.packaging.StagedRelease;
import io.m31r.release.pipeline.SignStage;
import io.m31r.release.registry.ReleaseIndex;
import io.m31r.release.registry.ReleasePublisher;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.testing.SigningKit;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed releases made from fixtures (no export): the independent verifiers accept them, and
 * every forgery is refused by {@code m31r verify} with exit 4 and its own message.
 */
class ReleaseSigningTest {
  @TempDir Path tmp;

  private final List<String> outputs = new ArrayList<>();
  private Path root;
  private Path keys;
  private SigningKey key;

  @BeforeEach
  void publishSignedRelease() throws IOException {
    root = tmp.resolve("release");
    keys = tmp.resolve("keys");
    Cli.Run gen = cli("keygen", "--out", keys.toString());
    assertEquals(0, gen.exitCode(), gen.err());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(KeyPairFiles.PRIVATE))));
    key = SigningKey.fromPem(Files.readAllBytes(keys.resolve(KeyPairFiles.PRIVATE)), "test key");
    publish("0.1.0", 0, key, "2026-12-04T10:00:00Z");
  }

  private Cli.Run cli(String... args) {
    Cli.Run r = ReleaseFixtures.cli(args);
    outputs.add(r.out());
    outputs.add(r.err());
    return r;
  }

  private ReleaseRoot releaseRoot() {
    return ReleaseRoot.at(root.toString(), new Configuration());
  }

  /** Stages, signs (when a key is given) and publishes a fixture release, as export orders it. */
  private void publish(String version, int variant, SigningKey k, String startedOn) throws IOException {
    StagedRelease staged = ReleaseFixtures.stage(tmp.resolve("work-" + version), version, ReleaseType.A, variant);
    if (k != null) {
      ReleaseSigner s = new ReleaseSigner();
      Provenance p = provenance(staged, startedOn, Sha256.hex("dataset"));
      s.write(s.sign(hadoop(staged.dir()), new Configuration(), p, k), SignatureFiles.under(hadoop(root), Semver.parse(version)),
          new Configuration(), p, k);
    }
    new ReleasePublisher().publish(staged, releaseRoot(), Semver.parse(version), false);
    new ReleaseIndex().rebuild(releaseRoot());
  }

  private static Provenance provenance(StagedRelease staged, String startedOn, String datasetDigest) throws IOException {
    ReleaseMetadata m = new ReleaseMetadataCodec().read(Files.readAllBytes(staged.dir().resolve(ReleaseFiles.METADATA)), "m");
    Map<String, String> six = new TreeMap<>(staged.sha256ByFile());
    six.put(ReleaseFiles.CHECKSUM, staged.checksumSha256());
    return new Provenance(six, m.version().toString(), m.releaseType().name(), Sha256.hex("release.yaml"), m.dataset().uri(),
        datasetDigest, Sha256.hex("manifest"), m.tokenizerVersion(), m.configHash(), m.gitCommit(), Sha256.hex("suite"),
        m.tool().version(), SigningSettings.DEFAULT_BUILDER_ID, startedOn, "2026-12-04T10:20:00Z");
  }

  private static org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private Path pub() {
    return keys.resolve(KeyPairFiles.PUBLIC);
  }

  private Path sig(String version) {
    return root.resolve("signatures").resolve(version + ".sig");
  }

  @Test
  void independentVerifiersAcceptOurSignatureAndRejectAFlippedByte() throws Exception {
    Path dir = root.resolve("0.1.0");
    SigningKit.Result js = SigningKit.sigstoreJs(pub(), sig("0.1.0"), dir);
    assertEquals(0, js.exitCode(), js.output());
    SigningKit.Result py = SigningKit.securesystemslib(pub(), sig("0.1.0"), dir);
    assertEquals(0, py.exitCode(), py.output());

    Path copy = tmp.resolve("flipped");
    Files.createDirectories(copy);
    for (String f : ReleaseFiles.ALL) {
      Files.copy(dir.resolve(f), copy.resolve(f));
    }
    copy.resolve(ReleaseFiles.MODEL).toFile().setWritable(true);
    ReleaseFixtures.flipByte(copy.resolve(ReleaseFiles.MODEL));
    SigningKit.Result jsBad = SigningKit.sigstoreJs(pub(), sig("0.1.0"), copy);
    assertEquals(1, jsBad.exitCode(), jsBad.output());
    assertTrue(jsBad.output().contains("model.safetensors"), jsBad.output());
    SigningKit.Result pyBad = SigningKit.securesystemslib(pub(), sig("0.1.0"), copy);
    assertEquals(1, pyBad.exitCode(), pyBad.output());
  }

  @Test
  void verifiesWithTheKeyAndSaysSoPlainlyWithoutOne() {
    Cli.Run ok = cli("verify", "0.1.0", "--root", root.toString(), "--public-key", pub().toString());
    assertEquals(0, ok.exitCode(), ok.out() + ok.err());
    assertTrue(ok.out().contains("authentic: signed by trusted key"), ok.out());
    Cli.Run plain = cli("verify", "0.1.0", "--root", root.toString());
    assertEquals(0, plain.exitCode(), plain.err());
    assertEquals("OK " + root.toUri().toString().replace("file:///", "file:/") + "0.1.0\n", plain.out());
    assertTrue(plain.err().contains("authenticity NOT checked") && plain.err().contains("signature: present"), plain.err());
  }

  @Test
  void twoSigningsOfTheSameInputsAreByteIdentical() throws IOException {
    StagedRelease a = ReleaseFixtures.stage(tmp.resolve("a"), "0.1.0", ReleaseType.A, 0);
    StagedRelease b = ReleaseFixtures.stage(tmp.resolve("b"), "0.1.0", ReleaseType.A, 0);
    ReleaseSigner s = new ReleaseSigner();
    ReleaseSigner.Sidecars x = s.sign(hadoop(a.dir()), new Configuration(), provenance(a, "2026-12-04T10:00:00Z", Sha256.hex("dataset")), key);
    ReleaseSigner.Sidecars y = s.sign(hadoop(b.dir()), new Configuration(), provenance(b, "2026-12-04T10:00:00Z", Sha256.hex("dataset")), key);
    assertArrayEquals(x.signature(), y.signature());
    assertEquals("0.1.0", ModelSigningStatement.parse(SigstoreBundle.parse(x.signature(), "x").payload(), "x").subjectName(),
        "the subject is the folder's name, as model_signing writes it");
    assertArrayEquals(x.provenance(), y.provenance());
    assertArrayEquals(Files.readAllBytes(sig("0.1.0")), x.signature(), "the published signature is the same bytes again");
    // A rerun with other measured times keeps the provenance it finds (same key, same statement otherwise).
    Provenance later = provenance(a, "2026-12-04T11:00:00Z", Sha256.hex("dataset"));
    ReleaseSigner.Sidecars rerun = s.write(s.sign(hadoop(a.dir()), new Configuration(), later, key),
        SignatureFiles.under(hadoop(root), Semver.parse("0.1.0")), new Configuration(), later, key);
    assertArrayEquals(Files.readAllBytes(root.resolve("signatures/0.1.0.provenance.json")), rerun.provenance());
    // reproduce compares provenances without the measured times (by name) and without subjects.
    assertEquals(Provenance.repeatablePart(provenance(a, "2026-12-04T10:00:00Z", Sha256.hex("dataset")).payload()),
        Provenance.repeatablePart(later.payload()));
    assertNotEquals(Provenance.repeatablePart(later.payload()),
        Provenance.repeatablePart(provenance(a, "2026-12-04T11:00:00Z", Sha256.hex("another dataset")).payload()));
    // Another dataset is another provenance: a conflict, nothing rewritten.
    Provenance other = provenance(a, "2026-12-04T10:00:00Z", Sha256.hex("another dataset"));
    var e = assertThrows(io.m31r.release.failure.ConflictException.class, () -> s.write(
        s.sign(hadoop(a.dir()), new Configuration(), other, key), SignatureFiles.under(hadoop(root), Semver.parse("0.1.0")), new Configuration(), other, key));
    assertEquals(ExitCode.CONFLICT, e.exitCode());
  }

  @Test
  void selfConsistentForgeryIsRefused() throws IOException {
    Path dir = root.resolve("0.1.0");
    // Edit metadata.json (still canonical, still matching the files) and recompute checksum.txt.
    ReleaseMetadataCodec codec = new ReleaseMetadataCodec();
    ReleaseMetadata m = codec.read(Files.readAllBytes(dir.resolve(ReleaseFiles.METADATA)), "m");
    ReleaseMetadata forged = new ReleaseMetadata(m.architectureCompatibility(), m.configHash(), m.dataset(), m.date(), "9.9.9",
        m.gitCommit(), m.gitTag(), m.metricsSummary(), m.modelHash(), m.rebuild(), m.releaseType(), m.tests(),
        m.tokenizerVersion(), m.tool(), m.trainingSeed(), m.trusted(), m.version());
    dir.toFile().setWritable(true);
    for (String f : List.of(ReleaseFiles.METADATA, ReleaseFiles.CHECKSUM)) {
      dir.resolve(f).toFile().setWritable(true);
    }
    Files.write(dir.resolve(ReleaseFiles.METADATA), codec.write(forged));
    java.util.SortedMap<String, String> digests = Sha256sumListing.newSortedMap();
    for (String f : ReleaseFiles.COVERED) {
      digests.put(f, Sha256.hex(Files.readAllBytes(dir.resolve(f))));
    }
    Files.writeString(dir.resolve(ReleaseFiles.CHECKSUM), Sha256sumListing.render(digests));

    // The folder alone is consistent: checksums cannot see this forgery. The publish record can,
    // until the forger rewrites it too (records are not signatures); the signature cannot be rewritten.
    Cli.Run plain = cli("verify", dir.toString());
    assertEquals(0, plain.exitCode(), "checksums alone cannot see this forgery: " + plain.out());
    Cli.Run byRecord = cli("verify", "0.1.0", "--root", root.toString());
    assertEquals(4, byRecord.exitCode(), byRecord.out() + byRecord.err());
    Cli.Run r = cli("verify", dir.toString(), "--public-key", pub().toString());
    assertEquals(4, r.exitCode(), r.out());
    assertTrue(r.out().contains("file digest differs from the signed one"), r.out());
    assertTrue(r.out().contains("metadata.json has sha256"), r.out());
  }

  @Test
  void anotherKeyIsRefused() throws IOException {
    Path other = tmp.resolve("other");
    assertEquals(0, cli("keygen", "--out", other.toString()).exitCode());
    Cli.Run r = cli("verify", root.resolve("0.1.0").toString(), "--public-key", other.resolve(KeyPairFiles.PUBLIC).toString());
    assertEquals(4, r.exitCode());
    assertTrue(r.out().contains("signed by an untrusted key"), r.out());

    // Signed by the other key but claiming ours (forged hint): the signature itself fails.
    SigningKey otherKey = SigningKey.fromPem(Files.readAllBytes(other.resolve(KeyPairFiles.PRIVATE)), "other");
    SigstoreBundle theirs = SigstoreBundle.parse(new ModelSigner().sign(hadoop(root.resolve("0.1.0")), new Configuration(), otherKey), "x");
    Path sig = sig("0.1.0");
    sig.toFile().setWritable(true);
    Files.write(sig, new SigstoreBundle(key.hint(), theirs.payloadType(), theirs.payload(), theirs.signature()).toJson());
    Cli.Run forged = cli("verify", root.resolve("0.1.0").toString(), "--public-key", pub().toString());
    assertEquals(4, forged.exitCode());
    assertTrue(forged.out().contains("signature invalid"), forged.out());
  }

  @Test
  void provenanceNamingAnotherDatasetIsRefused() throws IOException {
    StagedRelease staged = ReleaseFixtures.stage(tmp.resolve("again"), "0.1.0", ReleaseType.A, 0);
    Provenance lie = provenance(staged, "2026-12-04T10:00:00Z", Sha256.hex("another dataset"));
    Path prov = root.resolve("signatures/0.1.0.provenance.json");
    prov.toFile().setWritable(true);
    Files.write(prov, DsseEnvelope.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, lie.payload(), key).toJson());
    Cli.Run r = cli("verify", root.resolve("0.1.0").toString(), "--public-key", pub().toString());
    assertEquals(4, r.exitCode());
    assertTrue(r.out().contains("provenance disagrees with metadata"), r.out());
    assertTrue(r.out().contains("dataset digest " + Sha256.hex("another dataset")), r.out());
  }

  @Test
  void keyOutsideItsWindowIsUntrustedAndListShowsUnsignedReleases() throws IOException {
    publish("0.2.0", 1, null, null);
    String pem = Files.readString(pub()).strip().replace("\n", "\n      ");
    Path expired = tmp.resolve("expired.yaml");
    Files.writeString(expired, "keys:\n  - name: old-2025\n    valid_from: \"2025-01-01T00:00:00Z\"\n"
        + "    valid_until: \"2026-01-01T00:00:00Z\"\n    public_key: |\n      " + pem + "\n");
    Cli.Run r = cli("verify", "0.1.0", "--root", root.toString(), "--trusted-keys", expired.toString());
    assertEquals(4, r.exitCode());
    assertTrue(r.out().contains("signed by an untrusted key: 'old-2025' is valid from 2025-01-01T00:00:00Z until 2026-01-01T00:00:00Z"), r.out());

    Path current = tmp.resolve("current.yaml");
    Files.writeString(current, "keys:\n  - name: release-2026\n    valid_from: \"2026-01-01T00:00:00Z\"\n    public_key: |\n      " + pem + "\n");
    Cli.Run list = cli("list", "--root", root.toString(), "--trusted-keys", current.toString());
    assertEquals(0, list.exitCode(), list.out() + list.err());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("0.1.0") && l.contains("verified (key 'release-2026')")), list.out());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("0.2.0") && l.contains("unsigned") && l.endsWith("* current")), list.out());
    Cli.Run plainList = cli("list", "--root", root.toString());
    assertTrue(plainList.out().contains("signed (not checked)") && plainList.err().contains("authenticity NOT checked"), plainList.err());

    JsonNode index = CanonicalJson.mapper().readTree(root.resolve("index.json").toFile());
    assertEquals(Sha256.hex(Files.readAllBytes(sig("0.1.0"))), index.path("releases").get(0).path("signature_sha256").asText());
    assertTrue(index.path("releases").get(1).path("signature_sha256").isNull());

    // Rollback: a signature by a key outside its window refuses; an unsigned target only when named.
    String before = Files.readString(root.resolve("CURRENT"));
    assertEquals("0.2.0\n", before);
    Cli.Run bad = cli("rollback", "--to", "0.1.0", "--root", root.toString(), "--require-signature", "--trusted-keys", expired.toString());
    assertEquals(4, bad.exitCode(), bad.out() + bad.err());
    assertEquals(before, Files.readString(root.resolve("CURRENT")));
    Cli.Run good = cli("rollback", "--to", "0.1.0", "--root", root.toString(), "--require-signature", "--public-key", pub().toString());
    assertEquals(0, good.exitCode(), good.err());
    assertEquals("0.1.0\n", Files.readString(root.resolve("CURRENT")));
    Cli.Run unsigned = cli("rollback", "--to", "0.2.0", "--root", root.toString(), "--require-signature", "--public-key", pub().toString());
    assertEquals(4, unsigned.exitCode());
    assertTrue(unsigned.err().contains("release 0.2.0 is unsigned and --require-signature refuses it, CURRENT unchanged"), unsigned.err());
    assertEquals("0.1.0\n", Files.readString(root.resolve("CURRENT")));
    Cli.Run allowed = cli("rollback", "--to", "0.2.0", "--root", root.toString(), "--require-signature", "--allow-unsigned", "0.2.0",
        "--public-key", pub().toString());
    assertEquals(0, allowed.exitCode(), allowed.err());
  }

  @Test
  void signingRequiredWithoutKeyBlocksAndTheKeyNeverLeaks() throws IOException {
    SigningSettings required = new SigningSettings(true, null, "M31R_TEST_SIGNING_KEY", null);
    GateFailedException e = assertThrows(GateFailedException.class,
        () -> SignStage.prepare(required, tmp, new KeySource(name -> null)));
    assertEquals(ExitCode.GATE_BLOCKED, e.exitCode());
    outputs.add(e.getMessage());
    String pemText = Files.readString(keys.resolve(KeyPairFiles.PRIVATE));
    // From the environment it loads; a broken key fails without quoting it.
    SignStage.prepare(required, tmp, new KeySource(name -> pemText));
    String broken = pemText.replace("-----BEGIN PRIVATE KEY-----\n", "-----BEGIN PRIVATE KEY-----\nAAAA");
    GateFailedException bad = assertThrows(GateFailedException.class,
        () -> SignStage.prepare(required, tmp, new KeySource(name -> broken)));
    outputs.add(bad.getMessage());
    outputs.add(key.toString());
    cli("verify", "0.1.0", "--root", root.toString(), "--public-key", pub().toString());

    List<String> body = pemText.lines().filter(l -> !l.startsWith("-----")).toList();
    List<String> haystacks = new ArrayList<>(outputs);
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.equals(keys.resolve(KeyPairFiles.PRIVATE))).toList()) {
        haystacks.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    for (String h : haystacks) {
      for (String line : body) {
        assertFalse(h.contains(line), "a line of the private key appears in an output or file");
      }
    }
    assertNotEquals(0, body.size());
  }
}
