package io.m31r.release.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.suite.AssembledProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jail's mount tables: paths that would break a table field, and nothing left behind. */
class JailTest {
  @TempDir Path tmp;

  @Test
  void pathsAreEscapedAsMountTableFields() {
    assertEquals("/plain/path", Jail.mountTablePath("/plain/path"));
    assertEquals("/a\\040b/c\\011d\\012e\\134f", Jail.mountTablePath("/a b/c\td\ne\\f"));
  }

  @Test
  void aSampleFolderWithBlanksAndABackslashIsJailedAndRemoved() throws IOException {
    Isolation isolation = Isolation.probe();
    assumeTrue(isolation.jail(), "no jail here (needs root and mount namespaces)");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    Path work = Files.createDirectories(tmp.resolve("work dir\\with\tblanks"));
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
    RustSandbox sandbox = new RustSandbox(RustToolchain.locate(null), SandboxLimits.DEFAULTS.withTimeouts(60_000, 3_000),
        isolation, work);

    Verdict passing = sandbox.evaluate(AssembledProgram.of(
        "fn main() { assert!(std::fs::metadata(\"/sandbox/prog\").is_ok()); }\n", AssembledProgram.RunMode.MAIN_EXIT));
    Verdict rootIsReadOnly = sandbox.evaluate(AssembledProgram.of("""
        fn main() {
            assert!(std::fs::create_dir("/x").is_err());
            assert!(std::fs::write("/etc/x", b"x").is_err());
            assert!(std::fs::write("/dev/x", b"x").is_err());
            assert!(std::fs::read_dir("/dev/fd").is_ok());
            std::fs::write("/tmp/x", b"x").unwrap();
            let m = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
            for point in ["/", "/usr", "/sandbox"] {
                let l = m.lines().find(|l| l.split(' ').nth(4) == Some(point)).unwrap();
                assert!(l.split(' ').nth(5).unwrap().split(',').any(|o| o == "ro"), "{}", l);
            }
        }
        """, AssembledProgram.RunMode.MAIN_EXIT));
    Verdict writesToSandbox = sandbox.evaluate(AssembledProgram.of(
        "fn main() { std::fs::write(\"/sandbox/x\", b\"x\").unwrap(); }\n", AssembledProgram.RunMode.MAIN_EXIT));

    assertEquals(SampleStatus.PASSED, passing.status(), passing.detail() + " " + passing.stderrExcerpt());
    assertEquals(SampleStatus.TEST_FAILED, writesToSandbox.status(), writesToSandbox.detail());
    assertEquals(SampleStatus.PASSED, rootIsReadOnly.status(), rootIsReadOnly.detail() + " " + rootIsReadOnly.stderrExcerpt());
    try (Stream<Path> left = Files.list(work)) {
      assertFalse(left.findAny().isPresent(), "a sample folder (with its mount tables) was left behind");
    }
  }
}
