package io.m31r.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.OutcomeUnknownException;
import io.m31r.release.testing.GitCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseTaggerTest {
  private static final PersonIdent TAGGER =
      new PersonIdent("m31r release", "release@m31r.invalid", Instant.parse("2026-02-03T04:05:06Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  private final ReleaseTagger tagger = new ReleaseTagger();

  @Test
  void createsAnUnsignedAnnotatedTagThatGitReads() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      RevCommit c = repo.write("a.rs", "a\n").commitAll("feat: first model");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        tagger.tag(ws, "v0.1.0", c.name(), "m31r v0.1.0\n\nFeatures\n- first model", TAGGER);
        assertEquals(Optional.of(c.name()), ws.tagTarget("v0.1.0"));
      }
      assertEquals("tag\n", GitCli.run(tmp, "cat-file", "-t", "v0.1.0"));
      assertEquals(
          "object " + c.name() + "\n"
              + "type commit\n"
              + "tag v0.1.0\n"
              + "tagger m31r release <release@m31r.invalid> 1770091506 +0000\n"
              + "\n"
              + "m31r v0.1.0\n\nFeatures\n- first model\n",
          GitCli.run(tmp, "cat-file", "-p", "v0.1.0"));
      assertEquals(c.name() + "\n", GitCli.run(tmp, "rev-parse", "v0.1.0^{commit}"));
      assertEquals("v0.1.0\n", GitCli.run(tmp, "describe", "--exact-match", c.name()));
    }
  }

  @Test
  void anExistingTagIsAConflictAndStaysWhereItWas() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      RevCommit first = repo.write("a.rs", "1\n").commitAll("first");
      RevCommit second = repo.write("a.rs", "2\n").commitAll("second");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        tagger.tag(ws, "v1.0.0", first.name(), "release 1.0.0", TAGGER);
        String tagObject = GitCli.run(tmp, "rev-parse", "refs/tags/v1.0.0");
        ConflictException e = assertThrows(ConflictException.class,
            () -> tagger.tag(ws, "v1.0.0", second.name(), "release 1.0.0 again", TAGGER));
        assertEquals("tag v1.0.0 already exists and points to " + first.name() + "; tags are never moved", e.getMessage());
        assertThrows(ConflictException.class, () -> tagger.tag(ws, "v1.0.0", first.name(), "release 1.0.0", TAGGER));
        assertEquals(tagObject, GitCli.run(tmp, "rev-parse", "refs/tags/v1.0.0"));
        assertEquals(Optional.of(first.name()), ws.tagTarget("v1.0.0"));

        repo.lightweightTag("v2.0.0", second);
        assertThrows(ConflictException.class, () -> tagger.tag(ws, "v2.0.0", first.name(), "release 2.0.0", TAGGER));
        assertEquals(second.name() + "\n", GitCli.run(tmp, "rev-parse", "refs/tags/v2.0.0"));
      }
    }
  }

  @Test
  void refusesBadInputBeforeWritingAnything() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      RevCommit c = repo.write("a.rs", "a\n").commitAll("first");
      String objectsBefore = GitCli.run(tmp, "count-objects", "-v");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        assertThrows(BadInputException.class, () -> tagger.tag(ws, "bad name", c.name(), "m", TAGGER));
        assertThrows(BadInputException.class, () -> tagger.tag(ws, "v1.0.0", "abc", "m", TAGGER));
        BadInputException missing = assertThrows(BadInputException.class,
            () -> tagger.tag(ws, "v1.0.0", "0123456789012345678901234567890123456789", "m", TAGGER));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        BadInputException tree = assertThrows(BadInputException.class,
            () -> tagger.tag(ws, "v1.0.0", c.getTree().name(), "m", TAGGER));
        assertTrue(tree.getMessage().endsWith("is not a commit"), tree.getMessage());
        assertThrows(BadInputException.class, () -> tagger.tag(ws, "v1.0.0", c.name(), " ", TAGGER));
        assertThrows(BadInputException.class, () -> tagger.tag(ws, "v1.0.0", c.name(), "m", null));
        assertFalse(ws.tagExists("v1.0.0"));
      }
      assertEquals("", GitCli.run(tmp, "tag", "--list"));
      assertEquals(objectsBefore, GitCli.run(tmp, "count-objects", "-v"));
    }
  }

  @Test
  void aLockedTagRefIsAnUnknownOutcomeNotASuccess() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      RevCommit c = repo.write("a.rs", "a\n").commitAll("first");
      // Another writer holding the ref's lock, as git does while it creates the same tag.
      Path lock = tmp.resolve(".git/refs/tags/v1.0.0.lock");
      Files.createDirectories(lock.getParent());
      Files.writeString(lock, "");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class,
            () -> tagger.tag(ws, "v1.0.0", c.name(), "release", TAGGER));
        assertTrue(e.getMessage().startsWith("tag v1.0.0: the ref update ended with LOCK_FAILURE"), e.getMessage());
        assertFalse(ws.tagExists("v1.0.0"));
        Files.delete(lock);
        tagger.tag(ws, "v1.0.0", c.name(), "release", TAGGER);
        assertEquals(Optional.of(c.name()), ws.tagTarget("v1.0.0"));
      }
    }
  }
}
