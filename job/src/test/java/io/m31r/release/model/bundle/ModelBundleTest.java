package io.m31r.release.model.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.testing.RandomModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
  @TempDir Path dir;

  private Path bundle(boolean withChecksums) throws IOException {
    return new RandomModel(RandomModel.tinyConfig(TestVocab.SIZE), 1).writeBundle(dir.resolve("b"), withChecksums);
  }

  @Test
  void verifiedBundleRecordsTheDigests() throws IOException {
    Path b = bundle(true);
    ModelBundle opened = ModelBundle.open(b, false);
    assertTrue(opened.verified());
    assertEquals(Sha256.hex(Files.readAllBytes(b.resolve("model.safetensors"))), opened.modelSha256());
  }

  @Test
  void binaryModeChecksumLinesAreReadLikeTextMode() throws IOException {
    Path b = bundle(true);
    String listing = Files.readString(b.resolve("checksum.txt"));
    Files.writeString(b.resolve("checksum.txt"), listing.replace("  ", " *"));
    ModelBundle opened = ModelBundle.open(b, false);
    assertTrue(opened.verified());
    assertEquals(Sha256.hex(Files.readAllBytes(b.resolve("model.safetensors"))), opened.modelSha256());
  }

  @Test
  void tamperedFileIsAnIntegrityFailureNamingIt() throws IOException {
    Path b = bundle(true);
    byte[] bytes = Files.readAllBytes(b.resolve("model.safetensors"));
    bytes[bytes.length - 1] ^= 1;
    Files.write(b.resolve("model.safetensors"), bytes);
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelBundle.open(b, false));
    assertEquals(ExitCode.INTEGRITY, e.exitCode());
    assertEquals(4, e.exitCode().code());
    assertTrue(e.getMessage().contains("checksum mismatch for model.safetensors"), e.getMessage());
  }

  @Test
  void aSymbolicLinkToAFileOutsideTheBundleIsRefused() throws IOException {
    for (boolean withChecksums : new boolean[] {true, false}) {
      Path b = bundle(withChecksums);
      Path outside = Files.move(b.resolve("model.safetensors"), dir.resolve("outside-" + withChecksums));
      Files.createSymbolicLink(b.resolve("model.safetensors"), outside);
      SymlinkInBundleException e = assertThrows(SymlinkInBundleException.class, () -> ModelBundle.open(b, true));
      assertEquals(ExitCode.BAD_INPUT, e.exitCode());
      assertTrue(e.getMessage().contains("model.safetensors is a symbolic link"), e.getMessage());
      deleteTree(b);
    }
    // A bundle reached through a linked folder holds its own files all the same.
    Path b = bundle(true);
    Path link = Files.createSymbolicLink(dir.resolve("linked"), b);
    assertTrue(ModelBundle.open(link, false).verified());
  }

  private static void deleteTree(Path p) throws IOException {
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  @Test
  void everyListedFileIsChecked() throws IOException {
    Path b = bundle(true);
    Files.writeString(b.resolve("README.txt"), "hello\n");
    Files.writeString(
        b.resolve("checksum.txt"),
        Files.readString(b.resolve("checksum.txt")) + Sha256.hex("other\n") + "  README.txt\n");
    assertTrue(assertThrows(IntegrityException.class, () -> ModelBundle.open(b, true))
        .getMessage().contains("README.txt"));
    Files.delete(b.resolve("README.txt"));
    assertTrue(assertThrows(IntegrityException.class, () -> ModelBundle.open(b, true))
        .getMessage().contains("README.txt is listed in checksum.txt but missing"));
  }

  @Test
  void runtimeFilesMustBeCovered() throws IOException {
    Path b = bundle(true);
    String listing = Files.readString(b.resolve("checksum.txt"));
    Files.writeString(b.resolve("checksum.txt"), listing.replaceAll("(?m)^.*tokenizer.json\\n", ""));
    assertTrue(assertThrows(IntegrityException.class, () -> ModelBundle.open(b, false))
        .getMessage().contains("tokenizer.json is not covered by checksum.txt"));
  }

  @Test
  void malformedOrEscapingChecksumLinesAreRefused() throws IOException {
    Path b = bundle(true);
    String listing = Files.readString(b.resolve("checksum.txt"));
    Files.writeString(b.resolve("checksum.txt"), listing.replaceFirst("\n", "\n\n"));
    assertTrue(assertThrows(IntegrityException.class, () -> ModelBundle.open(b, false))
        .getMessage().contains("checksum.txt line 2 is not"), "an empty line inside the listing, by its number");
    Files.writeString(b.resolve("checksum.txt"), "abc  model.safetensors\n");
    assertTrue(assertThrows(IntegrityException.class, () -> ModelBundle.open(b, false))
        .getMessage().contains("line 1"));
    Files.writeString(b.resolve("checksum.txt"), Sha256.hex("x") + "  ../model.safetensors\n");
    assertTrue(assertThrows(IntegrityException.class, () -> ModelBundle.open(b, false))
        .getMessage().contains("outside the bundle"));
  }

  @Test
  void withoutChecksumsOnlyAnExplicitOptInLoads() throws IOException {
    Path b = bundle(false);
    UnverifiedBundleException e = assertThrows(UnverifiedBundleException.class, () -> ModelBundle.open(b, false));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().contains("--unverified"));
    ModelBundle opened = ModelBundle.open(b, true);
    assertFalse(opened.verified());
  }

  @Test
  void recheckCatchesAFileReplacedAfterVerification() throws IOException {
    Path b = bundle(true);
    ModelBundle opened = ModelBundle.open(b, false);
    opened.recheck();
    Files.writeString(b.resolve("tokenizer.json"), Files.readString(b.resolve("tokenizer.json")) + " ");
    IntegrityException e = assertThrows(IntegrityException.class, opened::recheck);
    assertTrue(e.getMessage().startsWith("tokenizer.json in "), e.getMessage());
    assertTrue(e.getMessage().contains("changed while it was loaded"), e.getMessage());
  }

  /** Vocabulary of the test tokenizer, so a bundle's model and tokenizer agree. */
  static final class TestVocab {
    static final int SIZE = io.m31r.release.model.testing.TestTokenizer.vocabSize();
  }
}
