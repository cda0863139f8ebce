package io.m31r.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConventionalCommitTest {
  @Test
  void readsTypeScopeAndSubject() {
    ConventionalCommit c = ConventionalCommit.parse("feat(tokenizer): byte-level BPE\n\nLonger body.\n");
    assertEquals(new ConventionalCommit(Optional.of("feat"), Optional.of("tokenizer"), false, "byte-level BPE", Optional.empty()), c);
    assertTrue(c.isConventional());
  }

  @Test
  void bangAndFootersMarkBreakingChanges() {
    ConventionalCommit bang = ConventionalCommit.parse("feat!: drop the v1 config format");
    assertTrue(bang.breaking());
    assertEquals(Optional.empty(), bang.breakingNote());
    assertEquals("drop the v1 config format", bang.subject());

    ConventionalCommit footer = ConventionalCommit.parse(
        "refactor(io): new reader\n\nBody text.\n\nBREAKING CHANGE: the reader takes a Path\nand no longer a String.\nRefs: #12\n");
    assertTrue(footer.breaking());
    assertEquals(Optional.of("io"), footer.scope());
    assertEquals(Optional.of("the reader takes a Path and no longer a String."), footer.breakingNote());

    ConventionalCommit dashed = ConventionalCommit.parse("fix: x\n\nBREAKING-CHANGE: y\n");
    assertEquals(Optional.of("y"), dashed.breakingNote());

    assertFalse(ConventionalCommit.parse("fix: x\n\nnot a BREAKING CHANGE: footer inside a line\n").breaking());
  }

  @Test
  void anythingElseIsKeptVerbatim() {
    ConventionalCommit c = ConventionalCommit.parse("Update the README (typos)\n\nfeat: not a header here\n");
    assertFalse(c.isConventional());
    assertEquals("Update the README (typos)", c.subject());
    assertFalse(ConventionalCommit.parse("feat : spaced colon").isConventional());
    assertFalse(ConventionalCommit.parse("feat(): empty scope").isConventional());
    assertEquals(Optional.of("fix"), ConventionalCommit.parse("Fix: capitalised type").type());
  }
}
