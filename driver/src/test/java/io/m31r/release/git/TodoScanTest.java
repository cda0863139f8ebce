package io.m31r.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.GateFailedException;
import io.m31r.release.testing.GitCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TodoScanTest {
  // Built from pieces: committed code must not carry the markers themselves.
  private static final String T = "TO" + "DO";
  private static final String F = "FIX" + "ME";

  @TempDir Path tmp;

  private final TodoScan scan = new TodoScan();

  @Test
  void reportsMarkerLinesOfTheHeadCommitOnly() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      repo.write("src/lib.rs", String.join("\n",
              "fn a() {}",
              "// " + T + ": handle overflow",
              "fn b() {}",
              "// " + T + "S and " + T.toLowerCase() + " and " + T + "_LATER and X" + T + " are not markers",
              "/* " + F + " */ fn c() {}",
              "let s = \"" + F + "\";"))
          .write("docs/notes.md", "line one\r\n" + T + "(owner): windows line endings\r\n")
          .write("gone.rs", "\n\n// " + F + " still at HEAD\n")
          .write("clean.rs", "fn clean() {}\n");
      byte[] binary = (T + " inside a binary\0blob").getBytes(StandardCharsets.UTF_8);
      repo.writeBytes("weights.bin", binary);
      repo.commitAll("init");
      Files.delete(tmp.resolve("gone.rs"));
      repo.write("untracked.rs", "// " + T + " not committed\n");
      repo.write("clean.rs", "// " + F + " only in the work tree\n");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        assertEquals(List.of("docs/notes.md:2", "gone.rs:3", "src/lib.rs:2", "src/lib.rs:5", "src/lib.rs:6"), scan.scan(ws));
      }
    }
  }

  @Test
  void theSuitesPromptsAreExemptButNothingElseIs() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      repo.write("benchmarks/completion/task_001/prompt.rs", "fn f() {\n    // " + T + ": implement this\n")
          .write("benchmarks/completion/task_001/solution.rs", "// " + T + " in a solution\n")
          .write("src/prompt.rs", "// " + T + " outside the suite\n");
      repo.commitAll("init");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        assertEquals(List.of("benchmarks/completion/task_001/solution.rs:1", "src/prompt.rs:1"),
            scan.exemptingSuitePrompts("benchmarks/").scan(ws));
        assertEquals(3, scan.scan(ws).size(), "without a suite nothing is exempt");
      }
    }
  }

  @Test
  void skipsBlobsOverTenMebibytes() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      byte[] big = new byte[(int) TodoScan.MAX_BLOB_BYTES + 1];
      Arrays.fill(big, (byte) ' ');
      byte[] marker = T.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(marker, 0, big, 0, marker.length);
      repo.writeBytes("big.txt", big);
      byte[] limit = Arrays.copyOf(big, (int) TodoScan.MAX_BLOB_BYTES);
      repo.writeBytes("at-limit.txt", limit);
      repo.commitAll("big files");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        assertEquals(List.of("at-limit.txt:1"), scan.scan(ws));
      }
    }
  }

  @Test
  void requireNoneNamesTheFirstHitsAndTheCount() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp)) {
      StringBuilder text = new StringBuilder();
      for (int i = 1; i <= 7; i++) {
        text.append("// ").append(T).append(' ').append(i).append('\n');
      }
      RevCommit c = repo.write("a.rs", text.toString()).commitAll("init");
      String statusBefore = GitCli.run(tmp, "status", "--porcelain");
      try (GitWorkspace ws = GitWorkspace.open(tmp)) {
        GateFailedException e = assertThrows(GateFailedException.class, () -> scan.requireNone(ws));
        assertEquals(
            "7 " + T + "/" + F + " line(s) in the files of commit " + c.name().substring(0, 7)
                + ": a.rs:1, a.rs:2, a.rs:3, a.rs:4, a.rs:5, and 2 more",
            e.getMessage());
      }
      assertEquals(statusBefore, GitCli.run(tmp, "status", "--porcelain"));
    }
  }

  @Test
  void aCommitWithoutMarkersPassesAndAnEmptyRepositoryIsBadInput() throws Exception {
    try (TestRepo repo = TestRepo.init(tmp); GitWorkspace ws = GitWorkspace.open(tmp)) {
      assertThrows(BadInputException.class, () -> scan.scan(ws));
      repo.write("a.rs", "fn a() {}\n").commitAll("init");
      scan.requireNone(ws);
      assertTrue(scan.scan(ws).isEmpty());
    }
  }
}
