package io.m31r.release.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The signing kit beside the project ({@code m31r.signingKit}, else {@code ../shared/signing-kit}
 * from the repository root) and its independent verifiers: npm {@code @sigstore/verify} from the
 * node_modules folder .ci/run installs ({@code m31r.sigstoreNodeModules}, else
 * {@code target/sigstore-js/node_modules} at the repository root) and Debian's securesystemslib
 * under {@code /usr/bin/python3}. Tests skip, saying why, where one is missing.
 */
public final class SigningKit {
  public record Result(int exitCode, String output) {}

  private SigningKit() {}

  public static Path dir() {
    return Path.of(System.getProperty("m31r.signingKit", "../../shared/signing-kit")).toAbsolutePath().normalize();
  }

  public static Path requireDir() {
    Path d = dir();
    Assumptions.assumeTrue(Files.isRegularFile(d.resolve("verify-dsse.py")), "signing kit not found at " + d + " (set -Dm31r.signingKit)");
    return d;
  }

  public static Path upstreamVector() {
    Path v = dir().resolve("upstream-vector-v1.1.0");
    Assumptions.assumeTrue(Files.isRegularFile(v.resolve("model/model.sig")), "upstream model_signing vector not found at " + v);
    return v;
  }

  public static Path nodeModules() {
    return Path.of(System.getProperty("m31r.sigstoreNodeModules", "../target/sigstore-js/node_modules")).toAbsolutePath().normalize();
  }

  /** {@code node verify-sigstore.mjs}; skips when node or the two npm packages are missing. */
  public static Result sigstoreJs(Path pub, Path sig, Path model) throws Exception {
    Path kit = requireDir();
    Path nm = nodeModules();
    Assumptions.assumeTrue(Files.isDirectory(nm.resolve("@sigstore/verify")) && Files.isDirectory(nm.resolve("@sigstore/bundle")),
        "@sigstore/verify@3.1.1 and @sigstore/bundle@4.0.0 are not installed in " + nm + " (.ci/run installs them)");
    return run(List.of("node", kit.resolve("verify-sigstore.mjs").toString(), "--pubkey", pub.toString(), "--sig", sig.toString(),
        "--model", model.toString()), nm);
  }

  /** Debian's {@code /usr/bin/python3 verify-dsse.py}; skips without python3-securesystemslib. */
  public static Result securesystemslib(Path pub, Path sig, Path model) throws Exception {
    Path kit = requireDir();
    Result probe = run(List.of("/usr/bin/python3", "-c", "import securesystemslib"), null);
    Assumptions.assumeTrue(probe.exitCode() == 0, "Debian python3-securesystemslib is not installed (apt-get install -y python3-securesystemslib)");
    return run(List.of("/usr/bin/python3", kit.resolve("verify-dsse.py").toString(), "--pubkey", pub.toString(), "--sig", sig.toString(),
        "--model", model.toString()), null);
  }

  private static Result run(List<String> cmd, Path nodePath) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
    if (nodePath != null) {
      pb.environment().put("NODE_PATH", nodePath.toString());
    }
    Process p;
    try {
      p = pb.start();
    } catch (java.io.IOException e) {
      Assumptions.abort(cmd.get(0) + " cannot be started: " + e.getMessage());
      throw e;
    }
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), out);
  }
}
