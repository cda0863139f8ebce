package io.m31r.release.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  @TempDir Path tmp;

  private List<Path> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void writesTheRenderedPageCreatingFoldersAndLeavingNoTemporaryFile() throws Exception {
    Path file = tmp.resolve("release-reports/1.4.0-rc.1.html");
    ReportWriter.write(ReportFixtures.blocked(), file);
    assertArrayEquals(HtmlReport.render(ReportFixtures.blocked()).getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    assertEquals(List.of(tmp, tmp.resolve("release-reports"), file), listing(tmp));
  }

  @Test
  void aNewerRenderingReplacesTheOldOneWhole() throws Exception {
    Path file = tmp.resolve("r.html");
    ReportWriter.write(ReportFixtures.blocked(), file);
    ReportWriter.write(ReportFixtures.published(), file);
    assertEquals(HtmlReport.render(ReportFixtures.published()), Files.readString(file));
    assertEquals(List.of(tmp, file), listing(tmp));
  }

  @Test
  void refusesATargetThatIsNotAnHtmlFileBeforeWritingAnything() throws Exception {
    BadInputException e = assertThrows(BadInputException.class, () -> ReportWriter.write(ReportFixtures.blocked(), tmp.resolve("out/r.txt")));
    assertTrue(e.getMessage().endsWith("r.txt: must be a file name ending in .html"), e.getMessage());
    Files.createDirectories(tmp.resolve("d.html"));
    e = assertThrows(BadInputException.class, () -> ReportWriter.write(ReportFixtures.blocked(), tmp.resolve("d.html")));
    assertTrue(e.getMessage().endsWith("d.html: is a directory"), e.getMessage());
    assertEquals(List.of(tmp, tmp.resolve("d.html")), listing(tmp), "no folder created, the directory left as it was");
  }

  @Test
  void aFailedWriteIsAnInfrastructureErrorAndChangesNothing() throws Exception {
    Path blocker = Files.writeString(tmp.resolve("reports"), "a file where the folder should be");
    InfrastructureException e =
        assertThrows(InfrastructureException.class, () -> ReportWriter.write(ReportFixtures.blocked(), blocker.resolve("1.0.0.html")));
    assertTrue(e.getMessage().startsWith("cannot write " + blocker.resolve("1.0.0.html")), e.getMessage());
    assertEquals("a file where the folder should be", Files.readString(blocker));
    assertEquals(List.of(tmp, blocker), listing(tmp));
    assertFalse(Files.exists(blocker.resolve("1.0.0.html")));
  }
}
