package io.m31r.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.signing.KeyPairFiles;
import io.m31r.release.signing.SigningKey;
import io.m31r.release.signing.SshSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tag signed with release.tag_signing's SSH key is checked by git itself ({@code git tag -v}). */
class SignedTagTest {
  private static final PersonIdent TAGGER =
      new PersonIdent("m31r release", "release@m31r.invalid", Instant.parse("2026-02-03T04:05:06Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  @Test
  void gitVerifiesTheSignedTagAndRefusesAnotherKey() throws Exception {
    Assumptions.assumeTrue(run(tmp, List.of("ssh-keygen", "-Y", "help")).output().contains("find-principals"),
        "ssh-keygen with -Y find-principals (OpenSSH 8.2+) is needed to check SSH-signed tags");
    SigningKey key = key(tmp.resolve("k1"));
    SigningKey other = key(tmp.resolve("k2"));
    Path repoDir = tmp.resolve("repo");
    Files.createDirectories(repoDir);
    try (TestRepo repo = TestRepo.init(repoDir)) {
      RevCommit c = repo.write("a.rs", "a\n").commitAll("feat: first model");
      try (GitWorkspace ws = GitWorkspace.open(repoDir)) {
        SshSignature ssh = new SshSignature(key, "git");
        new ReleaseTagger().tag(ws, "v0.1.0", c.name(), "m31r v0.1.0\n\nFeatures\n- first model", TAGGER, Optional.of(ssh::sign));
        assertEquals("m31r v0.1.0\n\nFeatures\n- first model", ws.tagMessage("v0.1.0").orElseThrow().strip());
      }
    }
    Path allowed = tmp.resolve("allowed_signers");
    Files.writeString(allowed, "release@m31r.invalid " + new SshSignature(key, "git").openSshPublicKey() + "\n");
    Result ok = run(repoDir, List.of("git", "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=" + allowed, "tag", "-v", "v0.1.0"));
    assertEquals(0, ok.exitCode(), ok.output());
    assertTrue(ok.output().contains("Good \"git\" signature for release@m31r.invalid"), ok.output());

    Files.writeString(allowed, "release@m31r.invalid " + new SshSignature(other, "git").openSshPublicKey() + "\n");
    Result bad = run(repoDir, List.of("git", "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=" + allowed, "tag", "-v", "v0.1.0"));
    assertNotEquals(0, bad.exitCode(), bad.output());
  }

  private static SigningKey key(Path dir) throws Exception {
    KeyPairFiles.generate(dir);
    return SigningKey.fromPem(Files.readAllBytes(dir.resolve(KeyPairFiles.PRIVATE)), "test");
  }

  private record Result(int exitCode, String output) {}

  private static Result run(Path dir, List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), cmd + " did not finish");
    return new Result(p.exitValue(), out);
  }
}
