package io.m31r.release.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import org.junit.jupiter.api.Test;

class ReleaseTypeTest {
  @Test
  void parsesLettersAndWordsInAnyCase() {
    assertEquals(ReleaseType.A, ReleaseType.parse("A"));
    assertEquals(ReleaseType.B, ReleaseType.parse("b"));
    assertEquals(ReleaseType.C, ReleaseType.parse(" patch "));
    assertEquals(ReleaseType.D, ReleaseType.parse("Experimental"));
    assertEquals(ReleaseType.A, ReleaseType.parse("model"));
  }

  @Test
  void refusesAnythingElseNamingTheText() {
    for (String bad : new String[] {"E", "", "production", "AB", "1"}) {
      BadInputException e = assertThrows(BadInputException.class, () -> ReleaseType.parse(bad));
      assertEquals(ExitCode.BAD_INPUT, e.exitCode());
      assertTrue(e.getMessage().contains("release type '" + bad + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("D (experimental)"), e.getMessage());
    }
    assertThrows(BadInputException.class, () -> ReleaseType.parse(null));
  }

  @Test
  void onlyExperimentsAreUntrustedPreReleasableAndKeptApart() {
    for (ReleaseType t : ReleaseType.values()) {
      boolean experiment = t == ReleaseType.D;
      assertEquals(!experiment, t.trusted(), t.name());
      assertEquals(experiment, t.allowsPreRelease(), t.name());
      assertEquals(experiment ? "experiments" : "", t.area(), t.name());
    }
  }

  @Test
  void describesEachTypeForTheReadme() {
    assertEquals("model release", ReleaseType.A.description());
    assertEquals("patch release", ReleaseType.C.description());
    assertEquals("experimental, untrusted", ReleaseType.D.description());
  }
}
