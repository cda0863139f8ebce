package io.m31r.release.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.failure.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class SuiteLoaderTest {
  @TempDir Path root;

  static final String TESTS = "#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn t() { assert_eq!(f(), 1); }\n}\n";

  Path task(String category, String name, String prompt, String difficulty) throws IOException {
    Path d = Files.createDirectories(root.resolve(category).resolve(name));
    Files.writeString(d.resolve("Cargo.toml"), "[package]\nname = \"x\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    Files.writeString(d.resolve("metadata.yaml"), "difficulty: " + difficulty + "\ncategory: " + category + "\ntags: [a, b]\nexpected_runtime: 5\n");
    Files.writeString(d.resolve("prompt.rs"), prompt);
    Files.writeString(d.resolve("solution.rs"), "fn f() -> i32 {\n    1\n}\n\nfn main() {}\n");
    Files.writeString(d.resolve("tests.rs"), TESTS);
    return d;
  }

  void standardSuite() throws IOException {
    task("completion", "task_001", "// one\nfn f() -> i32 {\n", "easy");
    task("fim", "task_001", "fn f() -> i32 {\n    <FILL>\n}\n\nfn main() {}\n", "medium");
    task("bugs", "task_001", "fn f() -> i32 {\n    2\n}\n\nfn main() {}\n", "hard");
  }

  void refused(Class<? extends ReleaseException> type, String fragment) {
    Executable load = () -> new SuiteLoader().load(root);
    ReleaseException e = assertThrows(type, load);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertEquals(2, e.exitCode().code());
  }

  @Test
  void readsKindsAndDigestMatchesSha256sumPipeline() throws Exception {
    standardSuite();
    Files.writeString(root.resolve("README.md"), "ignored");
    BenchSuite s = new SuiteLoader().load(root);
    assertEquals(List.of("bugs/task_001", "completion/task_001", "fim/task_001"), s.tasks().stream().map(BenchTask::id).toList());
    assertEquals(TaskKind.REWRITE, s.task("bugs/task_001").kind());
    assertEquals(TaskKind.COMPLETION, s.task("completion/task_001").kind());
    assertEquals(TaskKind.FIM, s.task("fim/task_001").kind());
    assertEquals(Difficulty.HARD, s.task("bugs/task_001").difficulty());
    assertEquals(List.of("a", "b"), s.task("bugs/task_001").tags());
    Process p = new ProcessBuilder("sh", "-c",
        "find . -mindepth 3 -type f | sed 's|^\\./||' | LC_ALL=C sort | xargs sha256sum | sha256sum")
        .directory(root.toFile()).start();
    String expected = new String(p.getInputStream().readAllBytes()).substring(0, 64);
    assertEquals(expected, s.digest());
  }

  @Test
  void missingFileNamesTheTask() throws IOException {
    standardSuite();
    Files.delete(root.resolve("fim/task_001/tests.rs"));
    refused(MissingTaskFileException.class, "suite task fim/task_001: missing tests.rs");
  }

  @Test
  void duplicateTaskNumbers() throws IOException {
    standardSuite();
    task("bugs", "task_0001", "fn main() {}\n", "easy");
    refused(DuplicateTaskException.class, "bugs/task_001");
  }

  @Test
  void symlinksAreRefused() throws IOException {
    standardSuite();
    Path outside = Files.writeString(root.getParent().resolve("secret-" + System.nanoTime() + ".rs"), "x");
    try {
      Path prompt = root.resolve("completion/task_001/prompt.rs");
      Files.delete(prompt);
      Files.createSymbolicLink(prompt, outside);
      refused(SuitePathEscapeException.class, "completion/task_001/prompt.rs: is a symbolic link");
    } finally {
      Files.delete(outside);
    }
  }

  @Test
  void nonUtf8IsRefused() throws IOException {
    standardSuite();
    Files.write(root.resolve("bugs/task_001/solution.rs"), new byte[] {'f', 'n', ' ', (byte) 0xC3, (byte) 0x28});
    refused(NonUtf8TaskFileException.class, "suite task bugs/task_001: solution.rs is not valid UTF-8");
  }

  @Test
  void badDifficultyUnknownKeyAndAliases() throws IOException {
    standardSuite();
    Path meta = root.resolve("completion/task_001/metadata.yaml");
    Files.writeString(meta, "difficulty: trivial\n");
    refused(BadTaskMetadataException.class, "suite task completion/task_001: metadata.yaml: difficulty 'trivial' is not easy, medium or hard");
    Files.writeString(meta, "difficulty: easy\nowner: me\n");
    refused(BadTaskMetadataException.class, "unknown key 'owner'");
    Files.writeString(meta, "difficulty: easy\ntags: &t [a]\ncategory: completion\n");
    refused(BadTaskMetadataException.class, "anchors and aliases");
    Files.writeString(meta, "category: completion\n");
    refused(BadTaskMetadataException.class, "difficulty is required");
  }

  @Test
  void fimShapeAndUnknownCategories() throws IOException {
    standardSuite();
    Files.writeString(root.resolve("fim/task_001/prompt.rs"), "fn f() -> i32 {\n    <FILL>\n    <FILL>\n}\n");
    refused(BadTaskShapeException.class, "suite task fim/task_001: prompt.rs has 2 <FILL> lines");
    Files.writeString(root.resolve("fim/task_001/prompt.rs"), "fn f() -> i32 {\n    1\n}\n");
    refused(BadTaskShapeException.class, "a FIM task needs one <FILL> line");
    Files.writeString(root.resolve("fim/task_001/prompt.rs"), "fn f() -> i32 {\n    <FILL>\n}\n");
    task("puzzles", "task_001", "fn f() -> i32 {\n", "easy");
    refused(BadTaskShapeException.class, "category 'puzzles' has no default kind");
    Files.writeString(root.resolve("puzzles/task_001/metadata.yaml"), "difficulty: easy\nkind: completion\n");
    assertEquals(TaskKind.COMPLETION, new SuiteLoader().load(root).task("puzzles/task_001").kind());
  }

  @Test
  void assemblyPerKind() throws IOException {
    standardSuite();
    BenchSuite s = new SuiteLoader().load(root);
    AssembledProgram c = ProgramAssembler.forCompletion(s.task("completion/task_001"), "    1\n}\n\nfn main() {}\n#[cfg(test)]\nmod tests {}\n");
    // The tests go first, after the leading comment: a macro the completion defines cannot reach them.
    assertEquals("// one\n" + TESTS + "\nfn f() -> i32 {\n    1\n}\n", c.source());
    assertEquals(AssembledProgram.RunMode.TEST_HARNESS, c.mode());
    AssembledProgram f = ProgramAssembler.forCompletion(s.task("fim/task_001"), "    let x = 1;\n    x");
    assertEquals(TESTS + "\nfn f() -> i32 {\n    let x = 1;\n    x\n}\n\nfn main() {}\n", f.source());
    AssembledProgram r = ProgramAssembler.forCompletion(s.task("bugs/task_001"), "fn f() -> i32 { 1 }\nfn main() {}\n```\ntrailing prose");
    assertEquals(TESTS + "\nfn f() -> i32 { 1 }\nfn main() {}", r.source());
    AssembledProgram attrs = ProgramAssembler.forCompletion(s.task("bugs/task_001"), "#![allow(dead_code)]\n//! doc\nfn f() -> i32 { 1 }\n");
    assertEquals("#![allow(dead_code)]\n//! doc\n" + TESTS + "\nfn f() -> i32 { 1 }\n", attrs.source());
    AssembledProgram quoted = ProgramAssembler.forCompletion(s.task("bugs/task_001"), "#![doc = \"]\"]\nfn f() -> i32 { 1 }\n");
    assertTrue(quoted.source().startsWith(TESTS), "an attribute holding a string is not skipped: " + quoted.source());
    AssembledProgram nested = ProgramAssembler.forCompletion(s.task("bugs/task_001"), "/* /* */ fn f() -> i32 { 1 } */\n");
    assertTrue(nested.source().startsWith(TESTS), "a nested comment is not skipped: " + nested.source());
    AssembledProgram ref = ProgramAssembler.forReference(s.task("bugs/task_001"));
    assertEquals(TESTS + "\nfn f() -> i32 {\n    1\n}\n\nfn main() {}\n", ref.source());
    assertEquals(c.sha256(), ProgramAssembler.forCompletion(s.task("completion/task_001"), "    1\n}\n\nfn main() {}\n").sha256());
  }

  @Test
  void multiplEJsonl() throws IOException {
    Path f = root.resolve("humaneval.jsonl");
    String line = "{\"name\":\"HumanEval_0_add\",\"language\":\"rs\",\"prompt\":\"/// adds\\nfn add(a: i32, b: i32) -> i32 {\\n\","
        + "\"tests\":\"fn main() {\\n    assert_eq!(add(1, 2), 3);\\n}\\n\",\"stop_tokens\":[\"\\n}\"]}\n";
    Files.writeString(f, line);
    BenchSuite s = new SuiteLoader().load(f);
    BenchTask t = s.task("HumanEval_0_add");
    assertEquals(TaskKind.MULTIPL_E, t.kind());
    assertEquals(Difficulty.UNRATED, t.difficulty());
    AssembledProgram p = ProgramAssembler.forCompletion(t, "    a + b\n}\n\nfn unused() {}\n");
    assertTrue(p.source().startsWith("fn m31r_judged_tests_main() {\n    assert_eq!(add(1, 2), 3);\n}\n\nfn main() {\n"), p.source());
    assertTrue(p.source().endsWith("/// adds\nfn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n"), p.source());
    assertEquals(AssembledProgram.RunMode.MAIN_TO_END, p.mode());
    assertEquals(io.m31r.release.hashing.Sha256.hex(line), s.digest());

    Files.writeString(f, line + line);
    ReleaseException dup = assertThrows(DuplicateTaskException.class, () -> new SuiteLoader().load(f));
    assertTrue(dup.getMessage().contains("HumanEval_0_add (line 2)"), dup.getMessage());
    Files.writeString(f, line.replace("HumanEval_0_add", "../../etc"));
    assertThrows(SuitePathEscapeException.class, () -> new SuiteLoader().load(f));
    Files.writeString(f, line.replace("\"tests\"", "\"test\""));
    ReleaseException missing = assertThrows(BadTaskShapeException.class, () -> new SuiteLoader().load(f));
    assertTrue(missing.getMessage().contains("'tests' must be a string"), missing.getMessage());
    Files.writeString(f, line.replace("fn main() {", "fn check() {"));
    ReleaseException noMain = assertThrows(BadTaskShapeException.class, () -> new SuiteLoader().load(f));
    assertTrue(noMain.getMessage().contains("exactly one line starting 'fn main()'"), noMain.getMessage());
    Files.write(f, new byte[] {'{', (byte) 0xFF, '}'});
    assertThrows(NonUtf8TaskFileException.class, () -> new SuiteLoader().load(f));
  }
}
