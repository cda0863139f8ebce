package io.m31r.release.packaging;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Assembles the six release files in a local staging directory. The model files are copied byte
 * for byte (or moved, when they are the export's own frozen copies) and the staged files, not the
 * sources, are hashed and checked against the metadata: what is staged is exactly what the
 * metadata vouches for, even if a source changes meanwhile.
 */
public final class ReleasePackager {
  private final ReleaseMetadataCodec codec = new ReleaseMetadataCodec();

  public StagedRelease stage(PackageInputs in, Path stagingDir) {
    requireFile(in.model(), ReleaseFiles.MODEL);
    requireFile(in.tokenizer(), ReleaseFiles.TOKENIZER);
    requireFile(in.config(), ReleaseFiles.CONFIG);
    boolean created = prepareEmptyDir(stagingDir);
    List<Path> written = new ArrayList<>();
    try {
      return write(in, stagingDir, written);
    } catch (RuntimeException e) {
      removeOwn(stagingDir, written, created, e);
      throw e;
    }
  }

  private StagedRelease write(PackageInputs in, Path dir, List<Path> written) {
    ReleaseMetadata m = in.metadata();
    SortedMap<String, String> digests = Sha256sumListing.newSortedMap();
    PackageInputs.Transfer how = in.transfer();
    digests.put(ReleaseFiles.MODEL, stageChecked(in.model(), how, dir, ReleaseFiles.MODEL, m.modelHash(), "model_hash", written));
    digests.put(ReleaseFiles.TOKENIZER,
        stageChecked(in.tokenizer(), how, dir, ReleaseFiles.TOKENIZER, m.tokenizerVersion(), "tokenizer_version", written));
    digests.put(ReleaseFiles.CONFIG, stageChecked(in.config(), how, dir, ReleaseFiles.CONFIG, m.configHash(), "config_hash", written));
    // A release of weights that the runtime cannot load is refused here rather than at verify.
    ModelConfig config = ModelConfigReader.read(dir.resolve(ReleaseFiles.CONFIG));
    WeightLayout.check(config, SafetensorsFile.open(dir.resolve(ReleaseFiles.MODEL)));
    digests.put(ReleaseFiles.METADATA, writeNew(dir, ReleaseFiles.METADATA, codec.write(m), written));
    digests.put(ReleaseFiles.README, writeNew(dir, ReleaseFiles.README, in.readme().getBytes(StandardCharsets.UTF_8), written));
    byte[] checksums = Sha256sumListing.render(digests).getBytes(StandardCharsets.UTF_8);
    String checksumSha256 = writeNew(dir, ReleaseFiles.CHECKSUM, checksums, written);
    return new StagedRelease(dir, digests, checksumSha256);
  }

  private static void requireFile(Path p, String role) {
    if (!Files.isRegularFile(p)) {
      throw new BadInputException("release input " + role + " is not a readable file: " + p);
    }
  }

  /** True when this call created the directory; an existing one must be empty. */
  private static boolean prepareEmptyDir(Path dir) {
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new BadInputException("staging directory " + dir + " exists and is not a directory");
      }
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new BadInputException("staging directory " + dir + " is not empty");
        }
      } catch (IOException e) {
        throw new InfrastructureException("cannot list " + dir + ": " + e.getMessage(), e);
      }
      return false;
    }
    try {
      Files.createDirectories(dir);
      return true;
    } catch (IOException e) {
      throw new InfrastructureException("cannot create staging directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String stageChecked(
      Path source, PackageInputs.Transfer how, Path dir, String name, String expected, String key, List<Path> written) {
    Path target = dir.resolve(name);
    try {
      switch (how) {
        case COPY -> Files.copy(source, target);
        case MOVE -> Files.move(source, target);
      }
    } catch (IOException e) {
      throw new InfrastructureException("cannot " + how.name().toLowerCase(java.util.Locale.ROOT) + " " + source + " to " + target + ": "
          + e.getMessage(), e);
    }
    written.add(target);
    String actual = StreamDigest.of(target);
    if (!actual.equals(expected)) {
      throw new IntegrityException(
          name + " (" + source + ") has sha256 " + actual + " but metadata " + key + " says " + expected);
    }
    return actual;
  }

  private static String writeNew(Path dir, String name, byte[] bytes, List<Path> written) {
    Path target = dir.resolve(name);
    try {
      Files.write(target, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + target + ": " + e.getMessage(), e);
    }
    written.add(target);
    return Sha256.hex(bytes);
  }

  /** A failed stage leaves nothing of its own behind; it never removes what it did not write. */
  private static void removeOwn(Path dir, List<Path> written, boolean createdDir, RuntimeException failure) {
    try {
      for (Path p : written) {
        Files.deleteIfExists(p);
      }
      if (createdDir) {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
