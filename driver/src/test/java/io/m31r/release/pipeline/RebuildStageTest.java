package io.m31r.release.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ExitCode;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.IntegrityException;
import io.m31r.release.model.bundle.FileDigests;
import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.testing.ReleaseFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rebuild stage alone, with small shell commands standing in for the trainer (the real
 * retraining runs in the end-to-end tests): each verdict and refusal, the candidate and its folder
 * left as they were.
 */
class RebuildStageTest {
  @TempDir Path tmp;

  private Path candidate;
  private Path config;
  private String candidateSha256;
  private Path work;

  @BeforeEach
  void candidate() throws Exception {
    candidate = Files.createDirectories(tmp.resolve("checkpoint")).resolve("model.safetensors");
    Files.writeString(candidate, "the candidate's weights");
    config = Files.writeString(tmp.resolve("checkpoint/config.yaml"), "seed: 7\n");
    candidateSha256 = FileDigests.sha256(candidate);
    work = Files.createDirectories(tmp.resolve("work"));
  }

  private ReleaseMetadata.Rebuild rebuild(ReleaseType type, List<String> command) {
    return new RebuildStage(null).run(command, List.of(), config, candidate, candidateSha256, type, work);
  }

  private static List<String> sh(String script) {
    return List.of("sh", "-c", script, "sh", "{out}", "{config}");
  }

  @Test
  void theSameBytesRebuiltAreCheckedAndRecordTheCommandAsConfigured() throws Exception {
    List<String> command = sh("mkdir -p \"$1\" && cp " + candidate + " \"$1/model.safetensors\"");
    ReleaseMetadata.Rebuild r = rebuild(ReleaseType.A, command);
    assertTrue(r.checked());
    assertEquals(candidateSha256, r.modelHash());
    assertEquals(String.join(" ", command), r.command(), "the command as configured, placeholders unexpanded");
    assertEquals(ReleaseMetadata.RebuildKind.LOCAL, r.kind());
  }

  @Test
  void otherBytesMakeTheReleaseInvalidAndNameBothDigests() throws Exception {
    Map<String, String> before = ReleaseFixtures.snapshot(tmp.resolve("checkpoint"));
    IntegrityException e = assertThrows(IntegrityException.class,
        () -> rebuild(ReleaseType.A, sh("mkdir -p \"$1\" && printf other > \"$1/model.safetensors\"")));
    assertEquals(ExitCode.INTEGRITY, e.exitCode());
    assertTrue(e.getMessage().startsWith("rebuild from scratch gave a different model: candidate model.safetensors " + candidateSha256
        + ", rebuilt " + FileDigests.sha256(work.resolve("rebuild/model.safetensors"))), e.getMessage());
    assertEquals(before, ReleaseFixtures.snapshot(tmp.resolve("checkpoint")));
  }

  @Test
  void aFailedOrEmptyRunIsAnInfrastructureFailureThatARetryMayFix() throws Exception {
    InfrastructureException failed = assertThrows(InfrastructureException.class, () -> rebuild(ReleaseType.A, sh("echo boom; exit 3")));
    assertEquals(ExitCode.INTERNAL, failed.exitCode());
    assertTrue(failed.getMessage().contains("exited 3; its output is in " + work.resolve("rebuild.log")), failed.getMessage());
    assertTrue(Files.readString(work.resolve("rebuild.log")).contains("boom"));

    InfrastructureException empty = assertThrows(InfrastructureException.class, () -> rebuild(ReleaseType.A, sh("mkdir -p \"$1\"")));
    assertTrue(empty.getMessage().endsWith("exited 0 but wrote no model.safetensors in {out}"), empty.getMessage());
  }

  @Test
  void aCommandThatCannotStartIsBadInput() {
    BadInputException e = assertThrows(BadInputException.class, () -> rebuild(ReleaseType.A, List.of(tmp.resolve("no-trainer").toString())));
    assertTrue(e.getMessage().startsWith("rebuild: "), e.getMessage());
  }

  @Test
  void onlyAnExperimentMaySkipTheRebuildAndThenRunsNothing() throws Exception {
    BadInputException e = assertThrows(BadInputException.class, () -> rebuild(ReleaseType.B, List.of()));
    assertTrue(e.getMessage().startsWith("config release.rebuild_command is empty"), e.getMessage());
    ReleaseMetadata.Rebuild d = rebuild(ReleaseType.D, List.of());
    assertFalse(d.checked());
    assertEquals(RebuildStage.NOT_CHECKED, d.command());
    try (var left = Files.list(work)) {
      assertEquals(List.of(), left.toList(), "nothing written");
    }
  }
}
