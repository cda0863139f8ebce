package io.m31r.release.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.formats.ReleaseFiles;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.formats.StrictUtf8;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.hashing.Sha256;
import io.m31r.release.json.CanonicalJson;
import io.m31r.release.model.config.ModelConfig;
import io.m31r.release.model.config.ModelConfigReader;
import io.m31r.release.model.config.WeightLayout;
import io.m31r.release.model.safetensors.SafetensorsFile;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks a published (or staged) release directory on any store and names every problem rather
 * than stopping at the first: a user repairing a copy needs the whole list. Unreadable storage is
 * not a finding but an {@link InfrastructureException}, since a retry may cure it.
 *
 * <p>On stores other than the local file system the model and config are copied to a local
 * temporary directory while they are hashed (one read), because the safetensors reader maps
 * local files; the copy is removed before returning.
 */
public final class ReleaseVerifier {
  private static final String EXPERIMENTS = "experiments";

  private final ReleaseMetadataCodec codec = new ReleaseMetadataCodec();

  public VerifyReport verify(Path releaseDir, Configuration conf) {
    FileSystem fs = StorageUris.fileSystem(releaseDir, conf);
    List<String> problems = new ArrayList<>();
    Map<String, FileStatus> present = listEntries(fs, releaseDir, problems);
    java.nio.file.Path temp = null;
    try {
      Map<String, String> digests = new TreeMap<>();
      Map<String, byte[]> small = new TreeMap<>();
      java.nio.file.Path localModel = null;
      for (String name : ReleaseFiles.ALL) {
        FileStatus status = present.get(name);
        if (status == null) {
          continue;
        }
        if (name.equals(ReleaseFiles.MODEL)) {
          if (StorageUris.isLocal(status.getPath())) {
            localModel = StorageUris.toLocal(status.getPath());
            digests.put(name, StreamDigest.of(localModel));
          } else {
            temp = Files.createTempDirectory("m31r-verify-");
            localModel = temp.resolve(ReleaseFiles.MODEL);
            try (OutputStream out = Files.newOutputStream(localModel)) {
              digests.put(name, StreamDigest.copyAndDigest(status.getPath(), conf, out));
            }
          }
        } else {
          byte[] bytes = readAll(fs, status.getPath());
          small.put(name, bytes);
          digests.put(name, Sha256.hex(bytes));
        }
      }
      if (small.containsKey(ReleaseFiles.CHECKSUM)) {
        checkChecksums(small.get(ReleaseFiles.CHECKSUM), digests, problems);
      }
      if (small.containsKey(ReleaseFiles.METADATA)) {
        checkMetadata(small.get(ReleaseFiles.METADATA), releaseDir, digests, problems);
      }
      checkModel(localModel, small.get(ReleaseFiles.CONFIG), problems);
      if (small.containsKey(ReleaseFiles.TOKENIZER)) {
        checkTokenizer(small.get(ReleaseFiles.TOKENIZER), problems);
      }
      return new VerifyReport(problems);
    } catch (IOException e) {
      throw new InfrastructureException("cannot verify " + releaseDir + ": " + e.getMessage(), e);
    } finally {
      deleteTemp(temp);
    }
  }

  /** Hadoop's local file system follows links in its listings; java.nio tells them apart. */
  private static boolean isLink(FileStatus s) {
    if (s.isSymlink()) {
      return true;
    }
    return StorageUris.isLocal(s.getPath()) && Files.isSymbolicLink(StorageUris.toLocal(s.getPath()));
  }

  private static Map<String, FileStatus> listEntries(FileSystem fs, Path dir, List<String> problems) {
    FileStatus[] entries;
    try {
      if (!fs.getFileStatus(dir).isDirectory()) {
        throw new BadInputException("release " + dir + " is not a directory");
      }
      entries = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      throw new BadInputException("no release directory at " + dir);
    } catch (IOException e) {
      throw new InfrastructureException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    Map<String, FileStatus> present = new TreeMap<>();
    List<String> extra = new ArrayList<>();
    for (FileStatus s : entries) {
      String name = s.getPath().getName();
      if (isLink(s)) {
        // A link could show bytes from outside the release, or bytes that change after the check.
        problems.add(name + " is a symbolic link; a release holds regular files only");
        present.remove(name);
        continue;
      }
      if (s.isFile() && ReleaseFiles.ALL.contains(name)) {
        present.put(name, s);
      } else {
        extra.add(s.isDirectory() ? name + "/" : name);
      }
    }
    for (String name : ReleaseFiles.ALL) {
      if (!present.containsKey(name) && problems.stream().noneMatch(p -> p.startsWith(name + " is a symbolic link"))) {
        problems.add("missing file " + name);
      }
    }
    extra.stream().sorted().forEach(name -> problems.add("unexpected entry " + name));
    return present;
  }

  private static void checkChecksums(byte[] bytes, Map<String, String> digests, List<String> problems) {
    String c = ReleaseFiles.CHECKSUM;
    Optional<String> decoded = StrictUtf8.decode(bytes);
    if (decoded.isEmpty()) {
      problems.add(c + " is not valid UTF-8");
      return;
    }
    String text = decoded.get();
    if (!text.endsWith("\n")) {
      problems.add(c + " does not end with a newline");
    }
    Set<String> listed = new LinkedHashSet<>();
    List<String> lines = Sha256sumListing.lines(text);
    String previous = null;
    for (int i = 0; i < lines.size(); i++) {
      Optional<Sha256sumListing.Entry> entry = Sha256sumListing.parseLine(lines.get(i));
      if (entry.isEmpty()) {
        problems.add(c + " line " + (i + 1) + " is not " + Sha256sumListing.LINE_FORM);
        continue;
      }
      String name = entry.get().name();
      String listedDigest = entry.get().sha256();
      if (!ReleaseFiles.COVERED.contains(name)) {
        problems.add(c + " line " + (i + 1) + " lists '" + name + "', which is not a release file it covers");
        continue;
      }
      if (!listed.add(name)) {
        problems.add(c + " lists " + name + " twice");
        continue;
      }
      if (previous != null && Sha256sumListing.compareUtf8(previous, name) > 0) {
        problems.add(c + " line " + (i + 1) + " is out of name order");
      }
      previous = name;
      String actual = digests.get(name);
      if (actual != null && !actual.equals(listedDigest)) {
        problems.add(c + " line " + (i + 1) + ": " + name + " has sha256 " + actual + ", " + c + " says " + listedDigest);
      }
    }
    for (String name : ReleaseFiles.COVERED) {
      if (!listed.contains(name)) {
        problems.add(c + " does not cover " + name);
      }
    }
  }

  private void checkMetadata(byte[] bytes, Path dir, Map<String, String> digests, List<String> problems) {
    ReleaseMetadata m;
    try {
      m = codec.read(bytes, ReleaseFiles.METADATA);
    } catch (IntegrityException e) {
      problems.add(e.getMessage());
      return;
    }
    if (!Arrays.equals(codec.write(m), bytes)) {
      problems.add(ReleaseFiles.METADATA + " is not in canonical form (it was not written by the release tool as is)");
    }
    compare(m.modelHash(), "model_hash", ReleaseFiles.MODEL, digests, problems);
    compare(m.tokenizerVersion(), "tokenizer_version", ReleaseFiles.TOKENIZER, digests, problems);
    compare(m.configHash(), "config_hash", ReleaseFiles.CONFIG, digests, problems);
    if (!m.version().toString().equals(dir.getName())) {
      problems.add(ReleaseFiles.METADATA + " version " + m.version() + " does not match the directory name " + dir.getName());
    }
    boolean inExperiments = dir.getParent() != null && EXPERIMENTS.equals(dir.getParent().getName());
    if (m.releaseType() == ReleaseType.D && !inExperiments) {
      problems.add(ReleaseFiles.METADATA + " says type D (experimental) but the release is not under " + EXPERIMENTS + "/");
    } else if (m.releaseType() != ReleaseType.D && inExperiments) {
      problems.add(ReleaseFiles.METADATA + " says type " + m.releaseType() + " but the release is under " + EXPERIMENTS + "/");
    }
  }

  private static void compare(String recorded, String key, String file, Map<String, String> digests, List<String> problems) {
    String actual = digests.get(file);
    if (actual != null && !actual.equals(recorded)) {
      problems.add(ReleaseFiles.METADATA + " " + key + " " + recorded + " does not match " + file + " (sha256 " + actual + ")");
    }
  }

  private static void checkModel(java.nio.file.Path model, byte[] configBytes, List<String> problems) {
    SafetensorsFile weights = null;
    if (model != null) {
      try {
        weights = SafetensorsFile.open(model);
      } catch (BadInputException e) {
        problems.add(ReleaseFiles.MODEL + " header: " + e.getMessage());
      }
    }
    ModelConfig config = null;
    if (configBytes != null) {
      try {
        config = ModelConfigReader.parse(new String(configBytes, StandardCharsets.UTF_8), ReleaseFiles.CONFIG);
      } catch (BadInputException e) {
        problems.add(e.getMessage());
      }
    }
    if (weights != null && config != null) {
      try {
        WeightLayout.check(config, weights);
      } catch (BadInputException e) {
        problems.add(e.getMessage());
      }
    }
  }

  private static void checkTokenizer(byte[] bytes, List<String> problems) {
    try {
      JsonNode root = CanonicalJson.mapper().readTree(bytes);
      if (root == null || !root.isObject() || !root.has("model")) {
        problems.add(ReleaseFiles.TOKENIZER + " is not a tokenizer JSON object with a 'model'");
      }
    } catch (IOException e) {
      problems.add(ReleaseFiles.TOKENIZER + " is not valid JSON");
    }
  }

  private static byte[] readAll(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  private static void deleteTemp(java.nio.file.Path temp) {
    if (temp == null) {
      return;
    }
    try (Stream<java.nio.file.Path> s = Files.list(temp)) {
      for (java.nio.file.Path p : s.toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // A leftover temporary copy does not change the verdict; the OS temp cleaner removes it.
    }
  }
}
