package io.m31r.release.sample;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Turns a sample workspace into a git repository with a scripted history, so the release commands
 * can be exercised end to end. Commits are assembled from blobs and trees directly rather than
 * through {@code git add}/{@code git commit}: no ignore rules, hooks, line-ending conversion or user
 * configuration take part, so the same files and specs give the same commit ids on every machine.
 */
public final class SampleGitRepository {
  static final String BRANCH = "main";

  private SampleGitRepository() {}

  /**
   * Initialises a repository (branch {@code main}) in the existing directory {@code workspace} and
   * makes one commit per spec, each adding its paths to those of the commits before it. Author and
   * committer are {@code author}'s name and email at the spec's time in UTC. Writes nothing in the
   * workspace but {@code .git}. Returns the id of the last commit.
   */
  public static String create(Path workspace, List<CommitSpec> commits, PersonIdent author) {
    List<SortedMap<String, Path>> added = validate(workspace, commits, author);
    try (Repository repository = new FileRepositoryBuilder()
        .setWorkTree(workspace.toFile())
        .setGitDir(workspace.resolve(Constants.DOT_GIT).toFile())
        .setInitialBranch(BRANCH)
        .build()) {
      repository.create(false);
      writeConfig(repository.getConfig());
      return commitAll(repository, commits, added, author);
    } catch (IOException | GitAPIException | IllegalStateException e) {
      throw new InfrastructureException("cannot create the sample git repository in " + workspace + ": " + e.getMessage(), e);
    }
  }

  /** Per spec, the files it adds (repository path to file), checked before anything is written. */
  private static List<SortedMap<String, Path>> validate(Path workspace, List<CommitSpec> commits, PersonIdent author) {
    if (workspace == null || !Files.isDirectory(workspace)) {
      throw new BadInputException("sample git repository: workspace " + workspace + " is not a directory");
    }
    if (Files.exists(workspace.resolve(Constants.DOT_GIT), LinkOption.NOFOLLOW_LINKS)) {
      throw new BadInputException("sample git repository: " + workspace + " already has a .git");
    }
    if (commits == null || commits.isEmpty()) {
      throw new BadInputException("sample git repository: no commits given");
    }
    if (author == null) {
      throw new BadInputException("sample git repository: author identity missing");
    }
    List<SortedMap<String, Path>> added = new ArrayList<>();
    Map<String, Path> seen = new TreeMap<>();
    Instant previous = Instant.MIN;
    for (int i = 0; i < commits.size(); i++) {
      CommitSpec spec = commits.get(i);
      String label = "sample commit #" + (i + 1);
      if (spec.time().isBefore(previous)) {
        throw new BadInputException(label + ": time " + spec.time() + " is before the previous commit's " + previous);
      }
      previous = spec.time();
      SortedMap<String, Path> files = new TreeMap<>();
      for (String p : spec.paths()) {
        collectFiles(workspace, workspace.resolve(p), label, files);
      }
      files.keySet().removeAll(seen.keySet());
      if (files.isEmpty()) {
        throw new BadInputException(label + ": its paths " + spec.paths() + " add no file not already committed");
      }
      seen.putAll(files);
      added.add(files);
    }
    return added;
  }

  private static void collectFiles(Path workspace, Path start, String label, SortedMap<String, Path> into) {
    if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
      throw new BadInputException(label + ": " + workspace.relativize(start) + " does not exist in " + workspace);
    }
    try (Stream<Path> walk = Files.walk(start)) {
      for (Path file : (Iterable<Path>) walk::iterator) {
        if (Files.isSymbolicLink(file)) {
          throw new BadInputException(label + ": " + workspace.relativize(file) + " is a symbolic link; only regular files are committed");
        }
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          into.put(repositoryPath(workspace.relativize(file)), file);
        }
      }
    } catch (IOException e) {
      throw new InfrastructureException(label + ": cannot list " + start + ": " + e.getMessage(), e);
    }
  }

  private static String repositoryPath(Path relative) {
    List<String> names = new ArrayList<>();
    relative.forEach(n -> names.add(n.toString()));
    return String.join("/", names);
  }

  /** Settings that would otherwise come from the user's or system's git configuration. */
  private static void writeConfig(StoredConfig config) throws IOException {
    config.setBoolean("commit", null, "gpgsign", false);
    config.setBoolean("tag", null, "gpgsign", false);
    config.setString("core", null, "autocrlf", "false");
    config.setBoolean("core", null, "filemode", true);
    config.save();
  }

  private static String commitAll(
      Repository repository, List<CommitSpec> commits, List<SortedMap<String, Path>> added, PersonIdent author)
      throws IOException {
    SortedMap<String, Entry> tracked = new TreeMap<>();
    ObjectId head = null;
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      for (int i = 0; i < commits.size(); i++) {
        for (Map.Entry<String, Path> file : added.get(i).entrySet()) {
          tracked.put(file.getKey(), insertBlob(inserter, file.getValue()));
        }
        DirCache index = DirCache.newInCore();
        DirCacheBuilder inCore = index.builder();
        fill(inCore, tracked);
        inCore.finish();
        CommitSpec spec = commits.get(i);
        PersonIdent ident = new PersonIdent(author, spec.time(), ZoneOffset.UTC);
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(index.writeTree(inserter));
        if (head != null) {
          commit.setParentId(head);
        }
        commit.setAuthor(ident);
        commit.setCommitter(ident);
        commit.setMessage(spec.message().endsWith("\n") ? spec.message() : spec.message() + "\n");
        head = inserter.insert(commit);
      }
      inserter.flush();
    }
    // The on-disk index matches the last commit, so the work tree reads as clean afterwards.
    DirCache index = repository.lockDirCache();
    DirCacheBuilder builder = index.builder();
    fill(builder, tracked);
    if (!builder.commit()) {
      throw new IOException("cannot write " + repository.getIndexFile());
    }
    RefUpdate update = repository.updateRef(Constants.R_HEADS + BRANCH);
    update.setNewObjectId(head);
    update.setExpectedOldObjectId(ObjectId.zeroId());
    update.setRefLogIdent(new PersonIdent(author, commits.get(commits.size() - 1).time(), ZoneOffset.UTC));
    update.setRefLogMessage("sample history", false);
    RefUpdate.Result result = update.update();
    if (result != RefUpdate.Result.NEW) {
      throw new IOException("creating branch " + BRANCH + " ended with " + result);
    }
    return head.name();
  }

  private static void fill(DirCacheBuilder builder, SortedMap<String, Entry> tracked) {
    for (Map.Entry<String, Entry> e : tracked.entrySet()) {
      DirCacheEntry entry = new DirCacheEntry(e.getKey());
      entry.setFileMode(e.getValue().mode());
      entry.setObjectId(e.getValue().blob());
      entry.setLength(e.getValue().length());
      entry.setLastModified(e.getValue().modified());
      builder.add(entry);
    }
  }

  private static Entry insertBlob(ObjectInserter inserter, Path file) throws IOException {
    long length = Files.size(file);
    ObjectId blob;
    try (InputStream in = Files.newInputStream(file)) {
      blob = inserter.insert(Constants.OBJ_BLOB, length, in);
    }
    return new Entry(blob, mode(file), length, Files.getLastModifiedTime(file).toInstant());
  }

  /** Executable when the owner may execute it, as git decides with core.filemode. */
  private static FileMode mode(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null && posix.readAttributes().permissions().contains(PosixFilePermission.OWNER_EXECUTE)) {
      return FileMode.EXECUTABLE_FILE;
    }
    return FileMode.REGULAR_FILE;
  }

  private record Entry(ObjectId blob, FileMode mode, long length, Instant modified) {}
}
