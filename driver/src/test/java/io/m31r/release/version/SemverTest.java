package io.m31r.release.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemverTest {
  @Test
  void ordersAsTheSemverSpecExample() {
    List<String> ordered =
        List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
            "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0");
    List<Semver> shuffled = new ArrayList<>(ordered.stream().map(Semver::parse).toList());
    Collections.reverse(shuffled);
    Collections.sort(shuffled);
    assertEquals(ordered, shuffled.stream().map(Semver::toString).toList());
  }

  @Test
  void roundTripsAndFlagsPreReleases() {
    assertEquals("0.1.0", Semver.parse("0.1.0").toString());
    assertFalse(Semver.parse("0.1.0").isPreRelease());
    assertTrue(Semver.parse("0.2.0-exp.3").isPreRelease());
    assertEquals(0, Semver.parse("1.2.3").compareTo(Semver.parse("1.2.3")));
  }

  @Test
  void refusesWhatIsNotASemanticVersion() {
    for (String bad : List.of("", "1", "1.2", "v1.2.3", "01.2.3", "1.2.3+build", "1.2.3-", "1.2.3-01", "1.2.3 ", "1.2.3-a..b")) {
      BadInputException e = assertThrows(BadInputException.class, () -> Semver.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }
}
