package io.m31r.release.suite;

import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.formats.StrictUtf8;
import io.m31r.release.hashing.Sha256;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an M31R suite: {@code <root>/<category>/task_NNN/} holding exactly Cargo.toml,
 * metadata.yaml, prompt.rs, solution.rs and tests.rs. Regular files directly under the root
 * (a README) and hidden entries there are ignored; anything else unexpected is refused, and so is
 * every symbolic link, since a link can point outside the suite and would then make the digest
 * describe files the suite does not own.
 */
final class DirectorySuiteReader {
  static final List<String> TASK_FILES = List.of("Cargo.toml", "metadata.yaml", "prompt.rs", "solution.rs", "tests.rs");
  private static final Pattern TASK_DIR = Pattern.compile("task_([0-9]+)");
  private static final Pattern CATEGORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  BenchSuite read(Path root) {
    TreeMap<String, String> fileDigests = Sha256sumListing.newSortedMap();
    List<BenchTask> tasks = new ArrayList<>();
    for (Path categoryDir : sortedEntries(root, "suite root")) {
      String category = categoryDir.getFileName().toString();
      BasicFileAttributes a = attributes(categoryDir, category);
      if (category.startsWith(".") || a.isRegularFile()) {
        continue;
      }
      if (!a.isDirectory() || !CATEGORY.matcher(category).matches()) {
        throw new BadTaskShapeException("suite entry " + category + ": not a category folder (letters, digits, _ . -)");
      }
      Map<Long, String> seen = new HashMap<>();
      for (Path taskDir : sortedEntries(categoryDir, category)) {
        String name = taskDir.getFileName().toString();
        String id = category + "/" + name;
        Matcher m = TASK_DIR.matcher(name);
        if (!attributes(taskDir, id).isDirectory() || !m.matches()) {
          throw new BadTaskShapeException("suite entry " + id + ": a category holds only task_NNN folders");
        }
        long number = parseNumber(id, m.group(1));
        String earlier = seen.putIfAbsent(number, id);
        if (earlier != null) {
          throw new DuplicateTaskException("suite task " + id + ": same task number as " + earlier);
        }
        tasks.add(readTask(taskDir, id, category, fileDigests));
      }
    }
    if (tasks.isEmpty()) {
      throw new MalformedSuiteException("suite " + root + ": no task folders (<category>/task_NNN/)");
    }
    tasks.sort((x, y) -> Sha256sumListing.compareUtf8(x.id(), y.id()));
    return new BenchSuite(BenchSuite.Format.M31R_DIRECTORY, SuiteDigest.ofDirectory(fileDigests), tasks);
  }

  private BenchTask readTask(Path dir, String id, String category, TreeMap<String, String> fileDigests) {
    Map<String, String> text = new HashMap<>();
    for (Path entry : sortedEntries(dir, id)) {
      String file = entry.getFileName().toString();
      if (!TASK_FILES.contains(file)) {
        throw new BadTaskShapeException("suite task " + id + ": unexpected entry " + file + " (a task holds exactly " + String.join(", ", TASK_FILES) + ")");
      }
      if (!attributes(entry, id + "/" + file).isRegularFile()) {
        throw new BadTaskShapeException("suite task " + id + ": " + file + " is not a regular file");
      }
      byte[] bytes = readAll(entry, id + "/" + file);
      String decoded = StrictUtf8.decode(bytes).orElseThrow(
          () -> new NonUtf8TaskFileException("suite task " + id + ": " + file + " is not valid UTF-8"));
      text.put(file, decoded);
      fileDigests.put(id + "/" + file, Sha256.hex(bytes));
    }
    for (String required : TASK_FILES) {
      if (!text.containsKey(required)) {
        throw new MissingTaskFileException("suite task " + id + ": missing " + required);
      }
    }
    TaskMetadata meta = TaskMetadata.parse(id, text.get("metadata.yaml"));
    if (meta.category() != null && !meta.category().equals(category)) {
      throw new BadTaskMetadataException(
          "suite task " + id + ": metadata.yaml: category '" + meta.category() + "' does not match the folder '" + category + "'");
    }
    String prompt = text.get("prompt.rs");
    TaskKind kind = TaskKinds.decide(id, category, prompt, meta.kind());
    return new BenchTask(
        id, category, meta.difficulty(), kind, prompt, text.get("solution.rs"), text.get("tests.rs"),
        TaskKinds.stopsFor(kind), meta.tags());
  }

  private static long parseNumber(String id, String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new BadTaskShapeException("suite task " + id + ": task number out of range");
    }
  }

  /** Attributes of the entry itself; a symbolic link is refused before anything follows it. */
  private static BasicFileAttributes attributes(Path p, String what) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isSymbolicLink()) {
        throw new SuitePathEscapeException("suite entry " + what + ": is a symbolic link (refused: it could point outside the suite)");
      }
      return a;
    } catch (IOException e) {
      throw new MalformedSuiteException("suite entry " + what + ": unreadable: " + e.getMessage(), e);
    }
  }

  private static List<Path> sortedEntries(Path dir, String what) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(out::add);
    } catch (IOException e) {
      throw new MalformedSuiteException("suite " + what + ": cannot list " + e.getMessage(), e);
    }
    out.sort((x, y) -> Sha256sumListing.compareUtf8(x.getFileName().toString(), y.getFileName().toString()));
    return out;
  }

  private static byte[] readAll(Path p, String what) {
    try {
      // NOFOLLOW closes the gap between the attribute check and the read.
      try (var in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new MalformedSuiteException("suite task file " + what + ": unreadable: " + e.getMessage(), e);
    }
  }
}
