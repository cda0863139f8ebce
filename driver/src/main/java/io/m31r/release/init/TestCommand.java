package io.m31r.release.init;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The project's test command as {@code m31r init} guesses it from the build files at the root, each
 * producing JUnit XML in {@code {reports}}. Without a build file, the suite's own self-check
 * ({@code m31r check-suite}) is the test: every reference solution must pass its tests.
 */
record TestCommand(Optional<List<String>> command, String source) {
  static TestCommand detect(Path dir, Optional<String> suite) {
    if (Files.isRegularFile(dir.resolve("pom.xml"))) {
      return new TestCommand(Optional.of(List.of("sh", "-c",
          "mvn -B test; s=$?; cp target/surefire-reports/*.xml {reports}/ 2>/dev/null; exit $s")), "pom.xml (Maven Surefire reports)");
    }
    if (Files.isRegularFile(dir.resolve("build.gradle")) || Files.isRegularFile(dir.resolve("build.gradle.kts"))) {
      return new TestCommand(Optional.of(List.of("sh", "-c",
          "gradle test; s=$?; cp build/test-results/test/*.xml {reports}/ 2>/dev/null; exit $s")), "build.gradle (Gradle test results)");
    }
    if (Files.isRegularFile(dir.resolve("Cargo.toml"))) {
      return new TestCommand(Optional.of(List.of("bash", "-o", "pipefail", "-c",
          "cargo test --no-fail-fast -- -Z unstable-options --format json --report-time | cargo2junit > {reports}/cargo-test.xml")),
          "Cargo.toml (needs cargo2junit and a test harness with JSON output)");
    }
    return suite.map(s -> new TestCommand(Optional.of(List.of("{m31r}", "check-suite", s, "--junit", "{reports}")),
            "no build file: the benchmark suite's self-check (every reference solution against its tests)"))
        .orElse(new TestCommand(Optional.empty(), "none"));
  }
}
