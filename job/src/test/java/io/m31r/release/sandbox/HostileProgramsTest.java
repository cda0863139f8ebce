package io.m31r.release.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.suite.AssembledProgram;
import io.m31r.release.suite.BenchTask;
import io.m31r.release.suite.Difficulty;
import io.m31r.release.suite.ProgramAssembler;
import io.m31r.release.suite.TaskKind;
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
        loop { hoard.push(vec![0u8; 64 << 20]); }
        """);
    assertEquals(SampleStatus.CRASHED, v.status(), v.detail() + " " + v.stderrExcerpt());
    harnessStillWorks();
  }

  @Test
  @Order(4)
  void writeOutsideTheSandboxFails() throws IOException {
    assumeTrue(isolation.sandboxUid() >= 0 || isolation.jail(), "programs run as the harness user here: a write to its own files cannot be refused");
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path target = outside.resolve("pwned.txt");
    Verdict v = main("std::fs::write(\"" + target + "\", b\"x\").unwrap();");
    assertEquals(SampleStatus.TEST_FAILED, v.status(), v.detail());
    // Refused (another uid), or not even there (its own filesystem).
    assertTrue(v.stderrExcerpt().contains("Permission denied") || v.stderrExcerpt().contains("No such file"), v.stderrExcerpt());
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

  static Verdict compiled(String source) {
    return sandbox.evaluate(AssembledProgram.of(source, AssembledProgram.RunMode.MAIN_EXIT));
  }

  static String rustString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String tag() {
    return "m31r-hostile-" + Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
  }

  @Test
  @Order(10)
  void compilerCannotQuoteOrIncludeTheHarnessFiles() throws IOException {
    assumeTrue(isolation.jail(), "no jail here (needs root and mount namespaces): rustc reads what the harness reads");
    String secret = tag() + " is not rust at all";
    Path file = Files.writeString(tmp.resolve("secret.txt"), secret + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Verdict quoted = compiled("#[path = " + rustString(file.toString()) + "] mod leak;\nfn main() {}\n");
    assertEquals(SampleStatus.COMPILE_ERROR, quoted.status(), quoted.detail());
    assertFalse(quoted.stderrExcerpt().contains(secret), quoted.stderrExcerpt());
    Verdict included = compiled("fn main() { eprintln!(\"{}\", include_str!(" + rustString(file.toString()) + ")); }\n");
    assertEquals(SampleStatus.COMPILE_ERROR, included.status(), included.detail());
    assertFalse(included.stderrExcerpt().contains(secret), included.stderrExcerpt());
    if (Files.exists(Path.of("/etc/shadow"))) {
      Verdict shadow = compiled("fn main() { eprintln!(\"{}\", include_str!(\"/etc/shadow\")); }\n");
      assertEquals(SampleStatus.COMPILE_ERROR, shadow.status(), shadow.detail());
      assertFalse(shadow.stderrExcerpt().contains("root:"), shadow.stderrExcerpt());
    }
  }

  @Test
  @Order(11)
  void checkoutAndWorkspaceAreNotReadable() {
    assumeTrue(isolation.jail(), "no jail here: programs see the harness's filesystem");
    Path pom = Path.of("pom.xml").toAbsolutePath();
    assertTrue(Files.isReadable(pom), "the test runs from the module folder");
    Verdict v = main("let a = std::fs::read(" + rustString(pom.toString()) + ").is_ok();\n"
        + "let b = std::fs::read_dir(" + rustString(tmp.resolve("work").toString()) + ").is_ok();\n"
        + "std::process::exit(if a || b { 0 } else { 3 });");
    assertEquals("main exited 3", v.detail(), v.stderrExcerpt());
  }

  @Test
  @Order(12)
  void sharedMemoryIsCappedAndGoneAfterTheRun() throws IOException {
    assumeTrue(isolation.jail(), "no jail here: /dev/shm is the host's");
    String name = tag();
    try {
      // 2 GiB in 16 MiB files (each under the file size limit): only RAM-backed tmpfs limits stop it.
      Verdict v = main("use std::io::Write;\nlet chunk = vec![7u8; 16 << 20];\nlet mut total: u64 = 0;\n"
          + "for i in 0..128 {\n"
          + "  let ok = std::fs::File::create(format!(\"/dev/shm/" + name + "-{i}\")).and_then(|mut f| f.write_all(&chunk)).is_ok();\n"
          + "  if !ok { break; }\n  total += 16 << 20;\n}\n"
          + "eprintln!(\"stored {total}\");\nstd::process::exit(if total >= 2u64 << 30 { 0 } else { 3 });");
      assertEquals("main exited 3", v.detail(), v.stderrExcerpt());
      assertTrue(v.stderrExcerpt().contains("stored "), v.stderrExcerpt());
      long stored = Long.parseLong(v.stderrExcerpt().replaceAll("(?s).*stored (\\d+).*", "$1"));
      assertTrue(stored <= sandbox.limits().maxFileBytes(), "stored " + stored);
      try (var left = Files.list(Path.of("/dev/shm"))) {
        assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(name)).toList());
      }
    } finally {
      try (var left = Files.list(Path.of("/dev/shm"))) {
        for (Path p : left.filter(p -> p.getFileName().toString().startsWith(name)).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  @Order(13)
  void tmpFilesDoNotSurviveTheSample() throws IOException {
    assumeTrue(isolation.jail(), "no jail here: /tmp is the host's");
    String name = tag();
    try {
      Verdict first = main("std::fs::write(\"/tmp/" + name + "\", b\"x\").unwrap();\n"
          + "std::fs::write(\"/var/tmp/" + name + "\", b\"x\").unwrap();");
      assertEquals(SampleStatus.PASSED, first.status(), first.detail() + first.stderrExcerpt());
      Verdict second = main("let seen = std::path::Path::new(\"/tmp/" + name + "\").exists()"
          + " || std::path::Path::new(\"/var/tmp/" + name + "\").exists();\n"
          + "std::process::exit(if seen { 3 } else { 0 });");
      assertEquals(SampleStatus.PASSED, second.status(), second.detail());
      assertFalse(Files.exists(Path.of("/tmp", name)));
      assertFalse(Files.exists(Path.of("/var/tmp", name)));
    } finally {
      Files.deleteIfExists(Path.of("/tmp", name));
      Files.deleteIfExists(Path.of("/var/tmp", name));
    }
  }

  @Test
  @Order(14)
  void unixSocketsOfTheHostAreUnreachable() throws IOException {
    assumeTrue(isolation.jail(), "no jail here: filesystem sockets are reachable");
    Path sock = tmp.resolve("harness.sock");
    try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(java.net.UnixDomainSocketAddress.of(sock));
      server.configureBlocking(false);
      Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rwxrwxrwx"));
      Verdict v = main("match std::os::unix::net::UnixStream::connect(" + rustString(sock.toString()) + ") {"
          + " Ok(_) => std::process::exit(0), Err(e) => { eprintln!(\"{e}\"); std::process::exit(3) } }");
      assertEquals("main exited 3", v.detail(), v.stderrExcerpt());
      assertEquals(null, server.accept(), "the sandboxed program reached a unix socket of the harness");
    } finally {
      Files.deleteIfExists(sock);
    }
  }

  @Test
  @Order(15)
  void concurrentSamplesCannotReachEachOther() throws Exception {
    assumeTrue(isolation.jail(), "no jail here: samples share one uid and see each other's folders");
    String uid = "eprintln!(\"uid {}\", std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(\"/proc/self\").unwrap()));\n";
    // The victim tries its own folder, then stays alive while the attacker looks for it.
    String victim = uid
        + "let dir = std::env::current_exe().unwrap().parent().unwrap().to_path_buf();\n"
        + "let wrote = std::fs::write(dir.join(\"mine\"), b\"x\").is_ok();\n"
        + "std::thread::sleep(std::time::Duration::from_millis(1500));\n"
        + "std::process::exit(if wrote { 0 } else { 3 });";
    String work = tmp.resolve("work").toString();
    String attacker = uid
        + "let me = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().to_path_buf();\n"
        + "let end = std::time::Instant::now() + std::time::Duration::from_millis(1200);\n"
        + "while std::time::Instant::now() < end {\n"
        + "  if let Ok(rd) = std::fs::read_dir(" + rustString(work) + ") {\n"
        + "    for e in rd.flatten() {\n"
        + "      let p = e.path();\n"
        + "      if p == me { continue; }\n"
        + "      for d in [p.clone(), p.join(\"box\")] {\n"
        + "        if std::fs::write(d.join(\"pwned\"), b\"x\").is_ok() { eprintln!(\"wrote into {}\", d.display()); std::process::exit(0); }\n"
        + "      }\n    }\n  }\n"
        + "  std::thread::sleep(std::time::Duration::from_millis(20));\n}\n"
        + "std::process::exit(3);";
    var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> main(victim));
    Thread.sleep(300);
    Verdict b = main(attacker);
    Verdict v = a.get();
    assertEquals("main exited 3", b.detail(), b.stderrExcerpt());
    assertEquals("main exited 3", v.detail(), "the program wrote into its own folder: " + v.stderrExcerpt());
    String uidA = v.stderrExcerpt().replaceAll("(?s).*uid (\\d+).*", "$1");
    String uidB = b.stderrExcerpt().replaceAll("(?s).*uid (\\d+).*", "$1");
    assertFalse(uidA.equals(uidB), "both samples ran as uid " + uidA);
  }

  @Test
  @Order(16)
  void redefinedAssertionsDoNotReachTheTests() {
    BenchTask task = new BenchTask("completion/task_001", "completion", Difficulty.EASY, TaskKind.COMPLETION,
        "fn add(a: i32, b: i32) -> i32 {\n", null,
        "#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn adds() {\n        assert_eq!(add(2, 3), 5);\n"
            + "        assert!(add(1, 1) == 2);\n    }\n}\n",
        List.of("\nfn main(", "\n#[cfg(test)]", "\nmod tests"), List.of());
    Verdict honest = sandbox.evaluate(ProgramAssembler.forCompletion(task, "    a + b\n}\n"));
    assertEquals(SampleStatus.PASSED, honest.status(), honest.detail() + honest.stderrExcerpt());
    String shadow = "    a - b\n}\nmacro_rules! assert_eq { ($($t:tt)*) => {} }\nmacro_rules! assert { ($($t:tt)*) => {} }\n";
    Verdict textual = sandbox.evaluate(ProgramAssembler.forCompletion(task, shadow));
    assertEquals(SampleStatus.TEST_FAILED, textual.status(), textual.detail());
    String exported = "    a - b\n}\nmacro_rules! nothing { ($($t:tt)*) => {} }\npub(crate) use nothing as assert_eq;\n"
        + "pub(crate) use nothing as assert;\n";
    Verdict byPath = sandbox.evaluate(ProgramAssembler.forCompletion(task, exported));
    assertFalse(byPath.status() == SampleStatus.PASSED, byPath.detail());
  }

  @Test
  @Order(17)
  void multiplEMainMustReachItsEnd() {
    BenchTask task = new BenchTask("HumanEval_0_add", "multipl_e", Difficulty.UNRATED, TaskKind.MULTIPL_E,
        "/// adds\nfn add(a: i32, b: i32) -> i32 {\n", null,
        "\nfn main() {\n    let candidate = add;\n    assert_eq!(candidate(1, 2), 3);\n    assert_eq!(candidate(2, 2), 4);\n}\n",
        List.of("\n}"), List.of());
    Verdict honest = sandbox.evaluate(ProgramAssembler.forCompletion(task, "    a + b\n}\n"));
    assertEquals(SampleStatus.PASSED, honest.status(), honest.detail() + honest.stderrExcerpt());
    Verdict wrong = sandbox.evaluate(ProgramAssembler.forCompletion(task, "    a - b\n}\n"));
    assertEquals(SampleStatus.TEST_FAILED, wrong.status(), wrong.detail());
    Verdict exits = sandbox.evaluate(ProgramAssembler.forCompletion(task, "    std::process::exit(0);\n}\n"));
    assertEquals(SampleStatus.TEST_FAILED, exits.status(), exits.detail());
    String chatty = "    for _ in 0..100_000 { println!(\"m31r-end:not-the-nonce\"); }\n    a + b\n}\n";
    Verdict loud = sandbox.evaluate(ProgramAssembler.forCompletion(task, chatty));
    assertEquals(SampleStatus.PASSED, loud.status(), "an honest program printing a lot still passes: " + loud.detail());
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
        Process p = new ProcessBuilder("pgrep", "-u", sandboxUids()).start();
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

  /** Every uid a program of this sandbox may run as, for pgrep -u. */
  static String sandboxUids() {
    StringBuilder b = new StringBuilder(String.valueOf(isolation.sandboxUid()));
    if (isolation.jail()) {
      for (int i = 0; i < SandboxUids.COUNT; i++) {
        b.append(',').append(SandboxUids.FIRST + i);
      }
    }
    return b.toString();
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
