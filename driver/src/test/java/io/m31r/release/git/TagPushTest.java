package io.m31r.release.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.ConflictException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.testing.GitCli;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushed release tags (issue 10 item 4), checked with git itself: a bare file: remote, git daemon
 * and OpenSSH's sshd on loopback.
 */
class TagPushTest {
  @TempDir Path tmp;

  private static final PersonIdent TAGGER = new PersonIdent("CI", "ci@m31r.invalid");

  /** A work tree with one commit tagged {@code tag}; returns the commit id. */
  private String taggedRepo(Path dir, String tag, String content) throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      RevCommit c = repo.write("README.md", content).commitAll("feat: " + content);
      try (GitWorkspace ws = GitWorkspace.open(dir)) {
        new ReleaseTagger().tag(ws, tag, c.name(), "release " + tag + "\n", new PersonIdent(TAGGER, TestRepo.T0, ZoneOffset.UTC));
      }
      return c.name();
    }
  }

  private RemoteAccess remote(String url) {
    return RemoteAccess.of(new ReleaseSettings.GitRemote(url, null, null, null, null), tmp);
  }

  private void pushChecksAndNeverMoves(RemoteAccess remote, Path bare) throws Exception {
    Path ws = tmp.resolve("ws");
    String commit = taggedRepo(ws, "v1.0.0", "one");
    assertEquals(RemoteTagCheck.State.FREE, new RemoteTagCheck().check(remote, "v1.0.0", commit));
    try (GitWorkspace git = GitWorkspace.open(ws)) {
      assertEquals(TagPusher.Outcome.PUSHED, new TagPusher().push(git, remote, "v1.0.0"));
      String tagObject = git.tagObjectId("v1.0.0").orElseThrow();
      String listed = GitCli.run(bare, "ls-remote", bare.toString());
      assertTrue(listed.contains(tagObject + "\trefs/tags/v1.0.0\n"), listed);
      assertTrue(listed.contains(commit + "\trefs/tags/v1.0.0^{}\n"), listed);
      assertTrue(listed.lines().noneMatch(l -> l.contains("refs/heads/")), "no branch is pushed: " + listed);
      assertEquals(RemoteTagCheck.State.ON_THIS_COMMIT, new RemoteTagCheck().check(remote, "v1.0.0", commit));
      assertEquals(TagPusher.Outcome.ALREADY_THERE, new TagPusher().push(git, remote, "v1.0.0"), "a retry pushes nothing");
    }
    // Another repository's v2.0.0 arrives first: our v2.0.0 (another commit) is a conflict before any work.
    Path other = tmp.resolve("other");
    String otherCommit = taggedRepo(other, "v2.0.0", "two");
    try (GitWorkspace git = GitWorkspace.open(other)) {
      new TagPusher().push(git, remote, "v2.0.0");
    }
    ConflictException e = assertThrows(ConflictException.class, () -> new RemoteTagCheck().check(remote, "v2.0.0", commit));
    assertTrue(e.getMessage().contains(otherCommit), e.getMessage());
    try (TestRepo repo = TestRepo.init(ws)) {
      try (GitWorkspace git = GitWorkspace.open(ws)) {
        new ReleaseTagger().tag(git, "v2.0.0", commit, "mine\n", new PersonIdent(TAGGER, TestRepo.T0, ZoneOffset.UTC));
        String before = GitCli.run(bare, "ls-remote", bare.toString(), "refs/tags/v2.0.0");
        assertThrows(ConflictException.class, () -> new TagPusher().push(git, remote, "v2.0.0"));
        assertEquals(before, GitCli.run(bare, "ls-remote", bare.toString(), "refs/tags/v2.0.0"), "never forced");
      }
    }
  }

  @Test
  void pushesOneTagToABareFileRemote() throws Exception {
    Path bare = tmp.resolve("remote.git");
    GitCli.run(tmp, "init", "-q", "--bare", bare.toString());
    pushChecksAndNeverMoves(remote(bare.toUri().toString()), bare);
  }

  @Test
  void pushesOneTagToGitDaemonOnLoopback() throws Exception {
    Path base = Files.createDirectories(tmp.resolve("served"));
    Path bare = base.resolve("remote.git");
    GitCli.run(tmp, "init", "-q", "--bare", bare.toString());
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Process daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
        "--listen=127.0.0.1", "--port=" + port, "--base-path=" + base, base.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile()).start();
    try {
      awaitPort(port, daemon);
      pushChecksAndNeverMoves(remote("git://127.0.0.1:" + port + "/remote.git"), bare);
    } finally {
      daemon.destroy();
      daemon.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void pushesOneTagOverSshToOpenSshOnLoopbackAndRefusesAnUnknownHostKey() throws Exception {
    Path sshd = Path.of("/usr/sbin/sshd");
    assumeTrue(Files.isExecutable(sshd), "OpenSSH's server is not installed (apt-get install openssh-server; .ci/run installs it)");
    assumeTrue(Files.isDirectory(Path.of("/run/sshd")) || Files.isDirectory(Files.createDirectories(Path.of("/run/sshd"))));
    Path dir = Files.createDirectories(tmp.resolve("ssh"));
    keygen(dir.resolve("host"));
    keygen(dir.resolve("client"));
    keygen(dir.resolve("impostor"));
    Files.copy(dir.resolve("client.pub"), dir.resolve("authorized_keys"));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("sshd_config"), String.join("\n",
        "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
        "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes", "PermitRootLogin prohibit-password", "") );
    Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host.pub")));
    Files.writeString(dir.resolve("wrong_known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("impostor.pub")));
    Path base = Files.createDirectories(tmp.resolve("served"));
    Path bare = base.resolve("remote.git");
    GitCli.run(tmp, "init", "-q", "--bare", bare.toString());
    Process server = new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("sshd.log").toFile()).start();
    try {
      awaitPort(port, server);
      String url = "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + bare;
      ReleaseSettings.GitRemote trusted = new ReleaseSettings.GitRemote(url, null, null, "ssh/client", "ssh/known_hosts");
      ReleaseSettings.GitRemote unknownHost = new ReleaseSettings.GitRemote(url, null, null, "ssh/client", "ssh/wrong_known_hosts");
      // A host key the known-hosts file does not list: exit 2 (no retry), nothing sent, nothing arrives.
      String before = GitCli.run(bare, "ls-remote", bare.toString());
      BadInputException refused = assertThrows(BadInputException.class,
          () -> new RemoteTagCheck().check(RemoteAccess.of(unknownHost, tmp), "v1.0.0", "0".repeat(40)));
      assertTrue(refused.getMessage().contains(url) && refused.getMessage().contains("host key"), refused.getMessage());
      assertEquals(before, GitCli.run(bare, "ls-remote", bare.toString()));
      pushChecksAndNeverMoves(RemoteAccess.of(trusted, tmp), bare);
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void keygen(Path key) throws Exception {
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "m31r-test", "-f", key.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
  }

  @Test
  void anUnreachableRemoteIsRetryableAndAMissingTokenIsBadConfig() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    InfrastructureException e = assertThrows(InfrastructureException.class,
        () -> new RemoteTagCheck().check(remote("git://127.0.0.1:" + port + "/none.git"), "v1.0.0", "0".repeat(40)));
    assertTrue(e.getMessage().contains("not reachable"), e.getMessage());
    RemoteAccess https = RemoteAccess.of(
        new ReleaseSettings.GitRemote("https://127.0.0.1:" + port + "/r.git", "M31R_TEST_NO_SUCH_TOKEN_VAR", null, null, null), tmp);
    BadInputException b = assertThrows(BadInputException.class, () -> new RemoteTagCheck().check(https, "v1.0.0", "0".repeat(40)));
    assertTrue(b.getMessage().contains("M31R_TEST_NO_SUCH_TOKEN_VAR is not set"), b.getMessage());
    assertThrows(BadInputException.class, () -> new ReleaseSettings.GitRemote("https://user:secret@host/r.git", null, null, null, null));
    // SSH needs its key and known-hosts files, each named and present; no password in the URL.
    BadInputException noKey = assertThrows(BadInputException.class,
        () -> new ReleaseSettings.GitRemote("ssh://git@127.0.0.1/r.git", null, null, null, "known_hosts"));
    assertTrue(noKey.getMessage().contains("release.git_remote.ssh_key_file"), noKey.getMessage());
    assertThrows(BadInputException.class, () -> new ReleaseSettings.GitRemote("ssh://git:pw@host/r.git", null, null, "k", "h"));
    assertThrows(BadInputException.class, () -> new ReleaseSettings.GitRemote("git@host:r.git", "TOKEN", null, "k", "h"));
    assertThrows(BadInputException.class, () -> new ReleaseSettings.GitRemote("https://host/r.git", null, null, "k", null));
    ReleaseSettings.GitRemote scpLike = new ReleaseSettings.GitRemote("git@host:team/r.git", null, null, "missing-key", "h");
    assertTrue(scpLike.isSsh());
    BadInputException missing = assertThrows(BadInputException.class, () -> RemoteAccess.of(scpLike, tmp));
    assertTrue(missing.getMessage().contains("ssh_key_file: no readable file at " + tmp.resolve("missing-key")), missing.getMessage());
  }

  private static void awaitPort(int port, Process daemon) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!daemon.isAlive()) {
        throw new AssertionError("git daemon exited " + daemon.exitValue());
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("git daemon did not listen on " + port);
  }
}
