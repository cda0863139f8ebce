package io.m31r.release.packaging;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.formats.ReleaseFiles;

/**
 * The text of {@code README.txt}: what the release is, how to check it with nothing but
 * {@code sha256sum}, and its changelog entry. A pure function of its inputs, so that the README
 * hashes the same in every rebuild.
 */
public final class ReleaseReadme {
  private ReleaseReadme() {}

  public static String render(ReleaseMetadata m, String changelog) {
    if (changelog == null || changelog.isBlank()) {
      throw new BadInputException("changelog entry for " + m.version() + " is empty; a release needs one");
    }
    String log = changelog.replace("\r\n", "\n").replace('\r', '\n').strip();
    String trust =
        m.trusted()
            ? "Trusted: built, tested and benchmarked by the release process."
            : "UNTRUSTED: an experiment, not for production and never the current release.";
    StringBuilder t = new StringBuilder();
    t.append("M31R ").append(m.version()).append('\n');
    t.append("Release type ").append(m.releaseType().name()).append(" (").append(m.releaseType().description()).append(")\n");
    t.append(trust).append('\n');
    t.append('\n');
    t.append("Git tag ").append(m.gitTag()).append(", commit ").append(m.gitCommit()).append('\n');
    t.append("Date ").append(m.date()).append(" (commit time)\n");
    t.append("Docs version ").append(m.docsVersion()).append(", architecture ").append(m.architectureCompatibility()).append('\n');
    t.append("Dataset ").append(m.datasetVersion()).append('\n');
    t.append('\n');
    t.append("Files\n");
    t.append("  ").append(ReleaseFiles.MODEL).append("  model weights\n");
    t.append("  ").append(ReleaseFiles.TOKENIZER).append("  tokenizer\n");
    t.append("  ").append(ReleaseFiles.CONFIG).append("  configuration snapshot\n");
    t.append("  ").append(ReleaseFiles.METADATA).append("  provenance, hashes and metrics summary\n");
    t.append("  ").append(ReleaseFiles.CHECKSUM).append("  SHA-256 of every other file\n");
    t.append("  ").append(ReleaseFiles.README).append("  this file\n");
    t.append('\n');
    t.append("How to verify\n");
    t.append("  In this directory:  sha256sum -c checksum.txt\n");
    t.append("  With the tool:      m31r verify ").append(m.version()).append(" --root <release root>\n");
    t.append("  Any file that differs from checksum.txt means the release is corrupted: do not use it.\n");
    t.append('\n');
    t.append("Changelog\n");
    t.append(log).append('\n');
    return t.toString();
  }
}
