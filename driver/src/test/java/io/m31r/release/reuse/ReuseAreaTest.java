package io.m31r.release.reuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reuse area alone: what it gives back, what it refuses to give back, and where it refuses to live. */
class ReuseAreaTest {
  private static final Map<String, Object> INPUTS = Map.of("model_sha256", "aa", "seed", 42);

  @TempDir Path tmp;

  @Test
  void anEntryComesBackForTheSameInputsAndToolOnlyAndIsGoneAfterPublish() throws Exception {
    ReuseArea area = open(tmp.resolve("area"), "1.0.0");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(area.dir())), "made owner-only");
    List<String> why = new ArrayList<>();
    assertTrue(area.find("rebuild", INPUTS, why::add).isEmpty());
    assertEquals(List.of(), why, "no entry is not a reason to say anything");

    area.keep("rebuild", INPUTS, Map.of("model_hash", "aa", "kind", "local"));
    Optional<JsonNode> back = open(area.dir(), "1.0.0").find("rebuild", INPUTS, why::add);
    assertEquals("local", back.orElseThrow().path("kind").asText());
    assertTrue(open(area.dir(), "1.0.0").find("rebuild", Map.of("model_sha256", "aa", "seed", 43), why::add).isEmpty());
    assertTrue(open(area.dir(), "1.0.1").find("rebuild", INPUTS, why::add).isEmpty(), "another tool version");
    assertTrue(open(area.dir(), "1.0.0").find("generation", INPUTS, why::add).isEmpty(), "another kind");
    assertEquals(List.of(), why);

    ReuseArea rerun = open(area.dir(), "1.0.0");
    assertTrue(rerun.find("rebuild", INPUTS, why::add).isPresent());
    rerun.forgetTouched();
    assertEquals(List.of(), names(area.dir()));
  }

  @Test
  void anEntryChangedAfterItWasWrittenIsNotReusedAndSaysWhy() throws Exception {
    ReuseArea area = open(tmp.resolve("area"), "1.0.0");
    area.keep("rebuild", INPUTS, Map.of("model_hash", "aa", "kind", "local"));
    Path entry = area.dir().resolve(names(area.dir()).get(0));
    Files.writeString(entry, Files.readString(entry).replace("\"local\"", "\"executor\""));
    List<String> why = new ArrayList<>();
    assertTrue(open(area.dir(), "1.0.0").find("rebuild", INPUTS, why::add).isEmpty());
    assertEquals(1, why.size(), why.toString());
    assertTrue(why.get(0).endsWith("was changed after it was written (payload digest differs)"), why.get(0));

    Files.writeString(entry, "{\"format\": 1,");
    why.clear();
    assertTrue(open(area.dir(), "1.0.0").find("rebuild", INPUTS, why::add).isEmpty());
    assertTrue(why.get(0).contains("is not readable JSON"), why.toString());
  }

  @Test
  void aFolderOthersMayWriteToOrAnotherUserOwnsIsNotUsed() throws Exception {
    Path open = Files.createDirectories(tmp.resolve("shared"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    List<String> why = new ArrayList<>();
    assertTrue(ReuseArea.at(open, "1.0.0", why::add).isEmpty());
    assertEquals(List.of("off: others may write to " + open + " (rwxrwxrwx)"), why);

    assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a folder to another user");
    Path theirs = Files.createDirectories(tmp.resolve("theirs"));
    Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwx------"));
    UserPrincipal nobody = theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(theirs, nobody);
    why.clear();
    assertTrue(ReuseArea.at(theirs, "1.0.0", why::add).isEmpty());
    assertEquals(List.of("off: " + theirs + " belongs to nobody, not to root"), why);
    assertFalse(Files.list(theirs).findAny().isPresent(), "nothing written there");
  }

  private static ReuseArea open(Path dir, String tool) {
    List<String> why = new ArrayList<>();
    ReuseArea a = ReuseArea.at(dir, tool, why::add).orElseThrow(() -> new AssertionError(why.toString()));
    assertEquals(List.of(), why);
    return a;
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
