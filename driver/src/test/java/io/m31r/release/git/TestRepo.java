package io.m31r.release.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real repository in a test directory, written through JGit with fixed identities and times. */
final class TestRepo implements AutoCloseable {
  static final PersonIdent AUTHOR = new PersonIdent("Test Author", "author@example.invalid");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final Path dir;
  final Git git;
  private int commits;

  private TestRepo(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  static TestRepo init(Path dir) throws GitAPIException {
    return new TestRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
  }

  TestRepo write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return this;
  }

  TestRepo writeBytes(String path, byte[] content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    return this;
  }

  /** Stages everything (deletions included) and commits it one minute after the previous commit. */
  RevCommit commitAll(String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    return commit(message);
  }

  RevCommit commit(String message) throws GitAPIException {
    PersonIdent ident = new PersonIdent(AUTHOR, T0.plusSeconds(60L * commits++), ZoneOffset.UTC);
    return git.commit()
        .setMessage(message)
        .setAuthor(ident)
        .setCommitter(ident)
        .setSign(false)
        .setNoVerify(true)
        .setAllowEmpty(true)
        .call();
  }

  void annotatedTag(String name, ObjectId commit) throws GitAPIException {
    try (var walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository())) {
      git.tag()
          .setName(name)
          .setObjectId(walk.parseCommit(commit))
          .setAnnotated(true)
          .setSigned(false)
          .setMessage("release " + name)
          .setTagger(new PersonIdent(AUTHOR, T0, ZoneOffset.UTC))
          .call();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void lightweightTag(String name, ObjectId commit) throws GitAPIException {
    try (var walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository())) {
      git.tag().setName(name).setObjectId(walk.parseCommit(commit)).setAnnotated(false).call();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    git.close();
  }
}
