package io.m31r.release.report;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.storage.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the HTML report whole or not at all: a reader (or a browser reloading the page) sees the
 * previous report or the new one, never half of one. The report is a view of the release, not part
 * of it, so a newer rendering replaces an older one.
 */
public final class ReportWriter {
  private ReportWriter() {}

  public static void write(ReleaseReport report, Path file) {
    if (file == null || file.getFileName() == null || !file.getFileName().toString().endsWith(".html")) {
      throw new BadInputException("report file " + file + ": must be a file name ending in .html");
    }
    byte[] html = HtmlReport.render(report).getBytes(StandardCharsets.UTF_8);
    Path target = file.toAbsolutePath();
    // A move with REPLACE_EXISTING would silently replace an empty directory of that name.
    if (Files.isDirectory(target)) {
      throw new BadInputException("report file " + target + ": is a directory");
    }
    AtomicFiles.write(target, html);
  }
}
