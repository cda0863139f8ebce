package io.m31r.release.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.packaging.ReleaseType;
import io.m31r.release.registry.ReleaseIndex;
import io.m31r.release.registry.ReleasePublisher;
import io.m31r.release.registry.ReleaseRoot;
import io.m31r.release.testing.Cli;
import io.m31r.release.testing.ReleaseFixtures;
import io.m31r.release.version.Semver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trusted-keys file is read as strictly as every other YAML input: a duplicate key, an
 * anchor/alias or a value of the wrong type is refused with exit 2 naming the file, before any
 * release is judged by it.
 */
class TrustedKeysFileTest {
  @TempDir Path tmp;

  private Path root;
  private String pem;

  @BeforeEach
  void rootWithOneRelease() throws IOException {
    root = tmp.resolve("release");
    ReleaseRoot r = ReleaseRoot.at(root.toString(), new Configuration());
    new ReleasePublisher().publish(ReleaseFixtures.stage(tmp.resolve("work"), "0.1.0", ReleaseType.A, 0), r,
        Semver.parse("0.1.0"), false);
    new ReleaseIndex().rebuild(r);
    Path pub = KeyPairFiles.generate(tmp.resolve("keys")).publicKey();
    pem = Files.readString(pub).strip().replace("\n", "\n      ");
  }

  @Test
  void aWellFormedFileIsAcceptedSoTheRefusalsBelowAreTheFilesOwn() throws IOException {
    Path ok = write("ok.yaml", "keys:\n  - name: release-2026\n    public_key: |\n      " + pem + "\n");
    Cli.Run r = ReleaseFixtures.cli("list", "--root", root.toString(), "--trusted-keys", ok.toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
  }

  @Test
  void aDuplicateKeyIsRefusedNamingTheFile() throws IOException {
    // Jackson alone keeps the second name silently; the file must say one thing to every reader.
    Path dup = write("duplicate.yaml",
        "keys:\n  - name: release-2026\n    name: release-2027\n    public_key: |\n      " + pem + "\n");
    Cli.Run r = refused(dup);
    assertTrue(r.err().contains("Duplicate field 'name'"), r.err());
  }

  @Test
  void anAnchorAndAliasAreRefusedNamingTheFile() throws IOException {
    Path alias = write("alias.yaml", "keys:\n  - name: release-2026\n    valid_from: &start \"2026-01-01T00:00:00Z\"\n"
        + "    public_key: |\n      " + pem + "\n"
        + "  - name: release-2027\n    valid_from: *start\n    public_key: |\n      " + pem + "\n");
    Cli.Run r = refused(alias);
    assertTrue(r.err().contains("at keys.1.valid_from (line 10): YAML aliases are not allowed"), r.err());
  }

  @Test
  void aNumberWhereANameIsExpectedIsRefusedNamingTheFile() throws IOException {
    Path number = write("number.yaml", "keys:\n  - name: 2026\n    public_key: |\n      " + pem + "\n");
    refused(number);
  }

  private Cli.Run refused(Path keys) throws IOException {
    Map<String, String> before = ReleaseFixtures.snapshot(root);
    Cli.Run r = ReleaseFixtures.cli("list", "--root", root.toString(), "--trusted-keys", keys.toString());
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("trusted keys " + keys), r.err());
    assertEquals("", r.out(), "nothing is listed when the trust file is refused");
    assertEquals(before, ReleaseFixtures.snapshot(root));
    return r;
  }

  private Path write(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }
}
