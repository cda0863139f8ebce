package io.m31r.release.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.testing.ReleaseFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleasePackagingTest {
  @TempDir Path tmp;

  private static VerifyReport verify(Path dir) {
    Configuration conf = new Configuration();
    return new ReleaseVerifier().verify(StorageUris.resolve("test", dir.toString(), conf), conf);
  }

  @Test
  void stagedReleaseHasSixFilesVerifiesAndPassesRealSha256sum() throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp, "1.2.0", ReleaseType.A, 0);
    try (var s = Files.list(staged.dir())) {
      assertEquals(ReleaseFiles.ALL, s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(List.of(), verify(staged.dir()).problems());
    assertEquals(ReleaseFiles.COVERED, List.copyOf(staged.sha256ByFile().keySet()));
    assertEquals(Sha256.hex(Files.readAllBytes(staged.dir().resolve("checksum.txt"))), staged.checksumSha256());

    Process p = new ProcessBuilder("sha256sum", "-c", "checksum.txt")
        .directory(staged.dir().toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
    assertEquals(5, output.lines().filter(l -> l.endsWith(": OK")).count(), output);
  }

  @Test
  void stagingTheSameInputsTwiceGivesIdenticalBytes() throws Exception {
    StagedRelease a = ReleaseFixtures.stage(tmp.resolve("a"), "1.0.0", ReleaseType.A, 0);
    StagedRelease b = ReleaseFixtures.stage(tmp.resolve("b"), "1.0.0", ReleaseType.A, 0);
    for (String name : ReleaseFiles.ALL) {
      assertArrayEquals(Files.readAllBytes(a.dir().resolve(name)), Files.readAllBytes(b.dir().resolve(name)), name);
    }
    assertEquals(a.checksumSha256(), b.checksumSha256());
  }

  @ParameterizedTest
  @ValueSource(strings = {"model.safetensors", "tokenizer.json", "config.yaml", "metadata.json", "checksum.txt", "README.txt"})
  void oneFlippedByteInAnyFileIsReportedByName(String name) throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp, "1.0.0", ReleaseType.A, 0);
    ReleaseFixtures.flipByte(staged.dir().resolve(name));
    VerifyReport report = verify(staged.dir());
    assertFalse(report.ok());
    assertTrue(report.problems().stream().anyMatch(p -> p.contains(name)), report.problems().toString());
    IntegrityException e = assertThrows(IntegrityException.class, report::requireValid);
    assertTrue(e.getMessage().contains(name), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aFileThatIsASymbolicLinkIsRefusedEvenWithTheRightBytes() throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp, "1.0.0", ReleaseType.A, 0);
    Path model = staged.dir().resolve("model.safetensors");
    Path outside = Files.move(model, tmp.resolve("outside.safetensors"));
    Files.createSymbolicLink(model, outside);
    VerifyReport report = verify(staged.dir());
    assertFalse(report.ok());
    assertTrue(report.problems().contains("model.safetensors is a symbolic link; a release holds regular files only"),
        report.problems().toString());
    assertThrows(IntegrityException.class, report::requireValid);
  }

  @Test
  void missingAndExtraFilesAreEachNamed() throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp, "1.0.0", ReleaseType.A, 0);
    Files.delete(staged.dir().resolve("README.txt"));
    Files.writeString(staged.dir().resolve("notes.txt"), "hand edit\n");
    Files.createDirectory(staged.dir().resolve("extra"));
    List<String> problems = verify(staged.dir()).problems();
    assertTrue(problems.contains("missing file README.txt"), problems.toString());
    assertTrue(problems.contains("unexpected entry notes.txt"), problems.toString());
    assertTrue(problems.contains("unexpected entry extra/"), problems.toString());
  }

  @Test
  void everyChecksumLineProblemIsReportedWithItsLineNumber() throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp, "1.0.0", ReleaseType.A, 0);
    Path checksum = staged.dir().resolve("checksum.txt");
    List<String> lines = Files.readString(checksum).lines().toList();
    // Lines 1 and 2 swapped, an empty line 3, a malformed line 4, the rest, no final newline.
    List<String> edited = new ArrayList<>(List.of(lines.get(1), lines.get(0), "", "not a digest"));
    edited.addAll(lines.subList(2, lines.size()));
    Files.writeString(checksum, String.join("\n", edited));
    List<String> problems = verify(staged.dir()).problems();
    for (String expected : List.of(
        "checksum.txt does not end with a newline",
        "checksum.txt line 2 is out of name order",
        "checksum.txt line 3 is not '<sha256>  <name>'",
        "checksum.txt line 4 is not '<sha256>  <name>'")) {
      assertTrue(problems.contains(expected), expected + " in " + problems);
    }
    assertFalse(problems.stream().anyMatch(p -> p.contains("does not cover")), problems.toString());
  }

  @Test
  void binaryModeChecksumLinesVerifyAsSha256sumCReadsThem() throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp, "1.0.0", ReleaseType.A, 0);
    Path checksum = staged.dir().resolve("checksum.txt");
    Files.writeString(checksum, Files.readString(checksum).replace("  ", " *"));
    assertEquals(List.of(), verify(staged.dir()).problems());
    Process p = new ProcessBuilder("sha256sum", "-c", "--strict", "checksum.txt")
        .directory(staged.dir().toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
  }

  @Test
  void versionMustMatchDirectoryAndTypeDMustBeUnderExperiments() throws Exception {
    StagedRelease staged = ReleaseFixtures.stage(tmp, "1.0.0", ReleaseType.D, 0);
    Path renamed = Files.move(staged.dir(), staged.dir().resolveSibling("1.0.1"));
    List<String> problems = verify(renamed).problems();
    assertTrue(problems.stream().anyMatch(p -> p.contains("does not match the directory name 1.0.1")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("type D")), problems.toString());
  }

  @Test
  void metadataThatDisagreesWithTheModelIsRefusedAndNothingIsStaged() throws Exception {
    Path model = ReleaseFixtures.writeModelFiles(tmp.resolve("model"), 0);
    ReleaseMetadata m = ReleaseFixtures.metadata(model, "1.0.0", ReleaseType.A);
    ReleaseFixtures.flipByte(model.resolve("model.safetensors"));
    var before = ReleaseFixtures.snapshot(tmp);
    PackageInputs in = new PackageInputs(model.resolve("model.safetensors"), model.resolve("tokenizer.json"),
        model.resolve("config.yaml"), m, ReleaseReadme.render(m, "Bug fixes: none."));
    Path staging = tmp.resolve("staged");
    IntegrityException e = assertThrows(IntegrityException.class, () -> new ReleasePackager().stage(in, staging));
    assertTrue(e.getMessage().startsWith("model.safetensors"), e.getMessage());
    assertFalse(Files.exists(staging), "the staging directory it created is gone");
    assertEquals(before, ReleaseFixtures.snapshot(tmp));
  }

  @Test
  void movedFilesLeaveTheirFolderAndAreCheckedAsCopiesAre() throws Exception {
    Path model = ReleaseFixtures.writeModelFiles(tmp.resolve("model"), 0);
    ReleaseMetadata m = ReleaseFixtures.metadata(model, "1.0.0", ReleaseType.A);
    byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
    PackageInputs in = new PackageInputs(model.resolve("model.safetensors"), model.resolve("tokenizer.json"),
        model.resolve("config.yaml"), m, ReleaseReadme.render(m, "Bug fixes: none."), PackageInputs.Transfer.MOVE);
    StagedRelease staged = new ReleasePackager().stage(in, tmp.resolve("staged").resolve("1.0.0"));
    assertEquals(List.of(), verify(staged.dir()).problems());
    assertArrayEquals(weights, Files.readAllBytes(staged.dir().resolve("model.safetensors")));
    for (String name : List.of("model.safetensors", "tokenizer.json", "config.yaml")) {
      assertFalse(Files.exists(model.resolve(name)), name + " was moved, not copied");
    }

    // A moved file that is not what the metadata vouches for is refused like a copy.
    Path other = ReleaseFixtures.writeModelFiles(tmp.resolve("other"), 0);
    ReleaseFixtures.flipByte(other.resolve("model.safetensors"));
    PackageInputs forged = new PackageInputs(other.resolve("model.safetensors"), other.resolve("tokenizer.json"),
        other.resolve("config.yaml"), m, ReleaseReadme.render(m, "Bug fixes: none."), PackageInputs.Transfer.MOVE);
    IntegrityException e = assertThrows(IntegrityException.class, () -> new ReleasePackager().stage(forged, tmp.resolve("staged-2")));
    assertTrue(e.getMessage().startsWith("model.safetensors"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("staged-2")), "the staging directory it created is gone");
  }

  @Test
  void readmeNamesVersionTypeTrustVerificationAndChangelog() throws Exception {
    Path model = ReleaseFixtures.writeModelFiles(tmp.resolve("model"), 0);
    String a = ReleaseReadme.render(ReleaseFixtures.metadata(model, "2.1.0", ReleaseType.A), "New features: FIM.\r\n");
    assertTrue(a.startsWith("M31R 2.1.0\nRelease type A (model release)\nTrusted"), a);
    assertTrue(a.contains("sha256sum -c checksum.txt"));
    assertTrue(a.contains("m31r verify 2.1.0"));
    assertTrue(a.endsWith("Changelog\nNew features: FIM.\n"), a);
    assertFalse(a.contains("\r"));
    String d = ReleaseReadme.render(ReleaseFixtures.metadata(model, "0.3.0", ReleaseType.D), "Experiment.");
    assertTrue(d.contains("UNTRUSTED"), d);
  }
}
