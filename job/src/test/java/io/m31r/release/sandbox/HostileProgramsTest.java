package io.m31r.release.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.suite.AssembledProgram;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real hostile programs through the real sandbox. Run limits are tight so that the suite stays
 * fast; the compile limit is loose because these machines are shared. The fork bomb runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileProgramsTest {
  @TempDir static Path tmp;
  static RustSandbox sandbox;
  static Isolation isolation;

  @BeforeAll
  static void start() throws IOException {
    isolation = Isolation.probe();
    // The program's uid must be able to pass through to its own directory.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
    SandboxLimits limits = SandboxLimits.DEFAULTS.withTimeouts(60_000, 3_000);
    sandbox = new RustSandbox(RustToolchain.locate(null), limits, isolation, work);
  }

  static Verdict main(String body) {
    return sandbox.evaluate(AssembledProgram.of("fn main() {\n" + body + "\n}\n", AssembledProgram.RunMode.MAIN_EXIT));
  }

  static void harnessStillWorks() {
    assertEquals(SampleStatus.PASSED, main("assert_eq!(1 + 1, 2);").status());
  }

  @Test
  @Order(1)
  void infiniteLoopTimesOut() {
    Verdict v = main("let mut x: u64 = 0; loop { x = x.wrapping_add(1); std::hint::black_box(x); }");
    assertEquals(SampleStatus.TIMEOUT, v.status(), v.toString());
    assertTrue(v.compiled());
    harnessStillWorks();
  }

  @Test
  @Order(2)
  void gigabyteOfOutputIsCappedAndDrained() {
    Verdict v = main("""
        use std::io::Write;
        let chunk = vec![b'x'; 1 << 20];
        let mut e = std::io::stderr().lock();
        for _ in 0..1024 { e.write_all(&chunk).unwrap(); }
        """);
    // Draining keeps the writer unblocked, so it finishes (or at worst runs out of time), never hangs.
    assertTrue(v.status() == SampleStatus.PASSED || v.status() == SampleStatus.TIMEOUT, v.status() + " " + v.detail());
    assertTrue(v.stderrExcerpt().length() <= Verdict.EXCERPT_CHARS);
    harnessStillWorks();
  }

  @Test
  @Order(3)
  void memoryBombCrashes() {
    Verdict v = main("""
        let mut hoard: Vec<Vec<u8>> = Vec::new();
        loop { hoard.push(vec![1u8; 64 << 20]); }
        """);
    assertEquals(SampleStatus.CRASHED, v.status(), v.detail() + " " + v.stderrExcerpt());
    harnessStillWorks();
  }

  @Test
  @Order(4)
  void writeOutsideTheSandboxFails() throws IOException {
    assumeTrue(isolation.sandboxUid() >= 0, "programs run as the harness user here: a write to its own files cannot be refused");
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path target = outside.resolve("pwned.txt");
    Verdict v = main("std::fs::write(\"" + target + "\", b\"x\").unwrap();");
    assertEquals(SampleStatus.TEST_FAILED, v.status(), v.detail());
    assertTrue(v.stderrExcerpt().contains("Permission denied"), v.stderrExcerpt());
    assertFalse(Files.exists(target));
    harnessStillWorks();
  }

  @Test
  @Order(5)
  void noNetworkEvenToLoopback() throws IOException {
    assumeTrue(isolation.namespaces(), "no network namespace on this machine");
    try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Verdict v = main("match std::net::TcpStream::connect(\"127.0.0.1:" + server.getLocalPort() + "\") {"
          + " Ok(_) => std::process::exit(0), Err(e) => { eprintln!(\"{e}\"); std::process::exit(3) } }");
      assertEquals(SampleStatus.TEST_FAILED, v.status(), v.detail());
      assertEquals("main exited 3", v.detail());
      server.setSoTimeout(200);
      boolean reached;
      try (var s = server.accept()) {
        reached = true;
      } catch (SocketTimeoutException e) {
        reached = false;
      }
      assertFalse(reached, "the sandboxed program reached a socket on the host's loopback");
    }
    harnessStillWorks();
  }

  @Test
  @Order(100)
  void forkBombIsContainedAndLeavesNothing() throws Exception {
    assumeTrue(isolation.processLimitEnforced(), "no enforced process limit here: a fork bomb is not run");
    Verdict v = main("""
        let me = std::env::current_exe().unwrap();
        loop { let _ = std::process::Command::new(&me).spawn(); }
        """);
    assertTrue(v.status() == SampleStatus.TIMEOUT || v.status() == SampleStatus.CRASHED, v.status() + " " + v.detail());
    if (isolation.sandboxUid() >= 0) {
      // The kernel tears the PID namespace down after its first process died; give it a moment.
      String left = "";
      for (int i = 0; i < 50; i++) {
        Process p = new ProcessBuilder("pgrep", "-u", String.valueOf(isolation.sandboxUid())).start();
        left = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        if (left.isEmpty()) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals("", left, "processes of the sandbox uid survived");
    }
    harnessStillWorks();
  }

  @Test
  @Order(6)
  void testHarnessNeedsAnExecutedTest() {
    String noTests = "fn f() -> i32 { 1 }\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n";
    Verdict none = sandbox.evaluate(AssembledProgram.of(noTests, AssembledProgram.RunMode.TEST_HARNESS));
    assertEquals(SampleStatus.TEST_FAILED, none.status(), none.detail());
    assertEquals("no test was executed (exit 0)", none.detail());
    String fails = "fn f() -> i32 { 1 }\n#[cfg(test)]\nmod tests {\n    use super::*;\n"
        + "    #[test] fn a() { assert_eq!(f(), 1); }\n    #[test] fn b() { assert_eq!(f(), 2); }\n}\n";
    Verdict v = sandbox.evaluate(AssembledProgram.of(fails, AssembledProgram.RunMode.TEST_HARNESS));
    assertEquals(SampleStatus.TEST_FAILED, v.status());
    assertEquals(1, v.testsPassed());
    assertEquals(1, v.testsFailed());
    Verdict bad = sandbox.evaluate(AssembledProgram.of("fn f( {", AssembledProgram.RunMode.TEST_HARNESS));
    assertEquals(SampleStatus.COMPILE_ERROR, bad.status());
    assertFalse(bad.compiled());
    assertTrue(bad.stderrExcerpt().contains("error"), bad.stderrExcerpt());
  }

  @Test
  @Order(7)
  void dedupeCompilesIdenticalProgramsOnce() {
    DedupingEvaluator d = new DedupingEvaluator(sandbox);
    AssembledProgram p = AssembledProgram.of("fn main() {}\n", AssembledProgram.RunMode.MAIN_EXIT);
    List<Verdict> vs = List.of(d.evaluate(p), d.evaluate(p), d.evaluate(AssembledProgram.of("fn main() {}\n", AssembledProgram.RunMode.MAIN_EXIT)));
    assertEquals(1, d.distinctPrograms());
    vs.forEach(v -> assertEquals(SampleStatus.PASSED, v.status()));
  }
}
