package io.m31r.release.preflight;

import io.m31r.release.packaging.ReleaseType;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.version.Semver;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionRulesTest {
  private static List<Semver> versions(String... v) {
    return java.util.Arrays.stream(v).map(Semver::parse).toList();
  }

  @Test
  void aFirstReleaseAndAnyHigherVersionPass() {
    assertDoesNotThrow(() -> VersionRules.check(Semver.parse("1.0.0"), ReleaseType.A, List.of()));
    assertDoesNotThrow(
        () -> VersionRules.check(Semver.parse("1.10.0"), ReleaseType.A, versions("1.2.0", "1.9.3", "0.4.0")));
    assertDoesNotThrow(() -> VersionRules.check(Semver.parse("1.2.1"), ReleaseType.C, versions("1.2.0")));
  }

  @Test
  void preReleaseSuffixOnlyForExperiments() {
    assertDoesNotThrow(() -> VersionRules.check(Semver.parse("1.3.0-rc.1"), ReleaseType.D, versions("1.2.0")));
    for (ReleaseType t : List.of(ReleaseType.A, ReleaseType.B, ReleaseType.C)) {
      BadInputException e =
          assertThrows(
              BadInputException.class, () -> VersionRules.check(Semver.parse("1.3.0-rc.1"), t, versions("1.2.0")));
      assertEquals(ExitCode.BAD_INPUT, e.exitCode());
      assertEquals(
          "version 1.3.0-rc.1: a pre-release suffix is only allowed for type D (experimental) releases, not type "
              + t,
          e.getMessage());
    }
  }

  @Test
  void anAlreadyPublishedVersionIsAConflict() {
    ConflictException e =
        assertThrows(
            ConflictException.class,
            () -> VersionRules.check(Semver.parse("1.2.0"), ReleaseType.A, versions("1.1.0", "1.2.0")));
    assertEquals(ExitCode.CONFLICT, e.exitCode());
    assertEquals("version 1.2.0 already published", e.getMessage());
  }

  @Test
  void aVersionNotAboveTheHighestIsAConflictNamingIt() {
    ConflictException e =
        assertThrows(
            ConflictException.class,
            () -> VersionRules.check(Semver.parse("1.9.0"), ReleaseType.A, versions("1.2.0", "1.10.0", "0.9.9")));
    assertEquals(
        "version 1.9.0 is not greater than the highest published version 1.10.0; versions only go up", e.getMessage());
    // A pre-release sorts before its release, so it cannot follow it either.
    ConflictException pre =
        assertThrows(
            ConflictException.class,
            () -> VersionRules.check(Semver.parse("1.2.0-rc.1"), ReleaseType.D, versions("1.2.0")));
    assertEquals(
        "version 1.2.0-rc.1 is not greater than the highest published version 1.2.0; versions only go up",
        pre.getMessage());
  }
}
