package io.m31r.release.freeze;

import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.formats.Sha256sumListing;
import io.m31r.release.hadoop.StorageUris;
import io.m31r.release.tasks.freeze.PlannedShard;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists a dataset on the driver: every file under a directory, or under each match of a glob,
 * filtered by the include glob. Refuses what would make the freeze lie: an empty selection,
 * unreadable files, symbolic links (unless followed, and never out of the root), names that a
 * {@code sha256sum} listing cannot hold, and anything but regular files.
 *
 * <p>Local trees are walked with {@code java.nio} because Hadoop's local listing follows links
 * silently; other stores are listed through Hadoop with one recursive listing per match, which is
 * a flat, paged listing on object stores.
 */
public final class ShardPlanner {
  private static final String GLOB_CHARS = "*?[{";
  private static final Pattern UNRESERVED_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final Configuration conf;

  public ShardPlanner(Configuration conf) {
    this.conf = conf;
  }

  /** @param allowEmpty true when verifying, where an emptied dataset is a finding, not bad input */
  public FreezePlan plan(ResolvedSelection resolved, boolean allowEmpty) {
    DatasetSelection selection = resolved.selection();
    Path dataset = resolved.dataset();
    IncludeGlob include = resolved.include();
    FileSystem fs = StorageUris.fileSystem(dataset, conf);
    boolean glob = isGlob(dataset);
    Path root = fs.makeQualified(glob ? nonGlobParent(dataset) : dataset);
    List<FileStatus> starts = starts(fs, dataset, glob);
    if (starts.size() == 1 && !glob && starts.get(0).isFile()) {
      root = starts.get(0).getPath().getParent();
    }

    TreeMap<String, PlannedShard> shards = Sha256sumListing.newSortedMap();
    for (FileStatus start : starts) {
      if (StorageUris.isLocal(root)) {
        new LocalWalk(root, selection.followSymlinks(), include, shards).walk(start.getPath());
      } else {
        listRemote(fs, root, start.getPath(), include, shards);
      }
    }
    if (shards.isEmpty() && !allowEmpty) {
      throw new BadInputException(
          "dataset "
              + selection.datasetUri()
              + ": empty dataset, no files to freeze"
              + (include == null ? "" : " (include '" + include + "' matched nothing)"));
    }
    return new FreezePlan(
        new DatasetSelection(dataset.toString(), selection.include(), selection.followSymlinks()),
        root.toString(),
        new ArrayList<>(shards.values()));
  }

  private List<FileStatus> starts(FileSystem fs, Path dataset, boolean glob) {
    try {
      if (glob) {
        FileStatus[] matches = fs.globStatus(dataset);
        return matches == null ? List.of() : List.of(matches);
      }
      return List.of(fs.getFileStatus(dataset));
    } catch (FileNotFoundException e) {
      throw new BadInputException("dataset " + dataset + ": not found");
    } catch (org.apache.hadoop.security.AccessControlException e) {
      throw new BadInputException("dataset " + dataset + ": permission denied");
    } catch (IOException e) {
      throw new InfrastructureException("cannot list dataset " + dataset + ": " + e.getMessage(), e);
    }
  }

  static boolean isGlob(Path p) {
    String s = p.toUri().getPath();
    return s.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
  }

  private static Path nonGlobParent(Path p) {
    Path cur = p;
    while (cur != null && isGlob(cur)) {
      cur = cur.getParent();
    }
    if (cur == null) {
      throw new BadInputException("dataset " + p + ": a glob needs a fixed directory before it");
    }
    return cur;
  }

  private static void add(
      TreeMap<String, PlannedShard> shards, IncludeGlob include, String rel, String location,
      long size, long mtime) {
    try {
      Sha256sumListing.checkName(rel);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("dataset file " + location + ": " + e.getMessage());
    }
    if (rel.equals("..") || rel.startsWith("../") || rel.contains("/../")) {
      throw new BadInputException("dataset file " + location + ": path escapes the dataset root");
    }
    if (include == null || include.matches(rel)) {
      shards.put(rel, new PlannedShard(rel, location, size, mtime));
    }
  }

  private static String relative(Path root, Path file) {
    String r = root.toUri().getPath();
    String f = file.toUri().getPath();
    String base = r.endsWith("/") ? r : r + "/";
    if (!f.startsWith(base)) {
      throw new BadInputException("dataset file " + file + ": path escapes the dataset root " + root);
    }
    return f.substring(base.length());
  }

  private static void listRemote(
      FileSystem fs, Path root, Path start, IncludeGlob include, TreeMap<String, PlannedShard> out) {
    try {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(start, true);
      while (it.hasNext()) {
        LocatedFileStatus st = it.next();
        if (st.isSymlink()) {
          throw new BadInputException(
              "dataset file " + st.getPath() + ": symbolic links are not followed on this store");
        }
        Path p = fs.makeQualified(st.getPath());
        add(out, include, relative(root, p), p.toString(), st.getLen(), st.getModificationTime());
      }
    } catch (org.apache.hadoop.security.AccessControlException e) {
      throw new BadInputException("dataset " + start + ": permission denied: " + e.getMessage());
    } catch (FileNotFoundException e) {
      throw new BadInputException("dataset " + start + ": not found");
    } catch (IOException e) {
      throw new InfrastructureException("cannot list " + start + ": " + e.getMessage(), e);
    }
  }

  /** One walk of a local directory tree (or a single file) below the dataset root. */
  private static final class LocalWalk {
    private final java.nio.file.Path root;
    private final java.nio.file.Path realRoot;
    private final boolean follow;
    private final IncludeGlob include;
    private final TreeMap<String, PlannedShard> out;

    LocalWalk(Path root, boolean follow, IncludeGlob include, TreeMap<String, PlannedShard> out) {
      this.root = StorageUris.toLocal(root);
      try {
        this.realRoot = this.root.toRealPath();
      } catch (IOException e) {
        throw new BadInputException("dataset root " + root + ": not found");
      }
      this.follow = follow;
      this.include = include;
      this.out = out;
    }

    void walk(Path start) {
      java.nio.file.Path local = StorageUris.toLocal(start);
      // The root may itself be a link (a "current" pointer): resolve it once, and walk the tree
      // below its real location, where every link is a link inside the dataset.
      java.nio.file.Path base = local.equals(root) ? realRoot : local;
      Set<FileVisitOption> options = follow ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : Set.of();
      try {
        Files.walkFileTree(base, options, Integer.MAX_VALUE, new Visitor(base.equals(realRoot) ? realRoot : root));
      } catch (IOException e) {
        throw new InfrastructureException("cannot walk " + local + ": " + e.getMessage(), e);
      }
    }

    private final class Visitor extends SimpleFileVisitor<java.nio.file.Path> {
      private final java.nio.file.Path relativeTo;
      /**
       * The URIs (ending in '/') of the directories being walked, innermost first: the walk visits
       * a file only inside the innermost directory it has entered.
       */
      private final Deque<String> openDirectoryUris = new ArrayDeque<>();

      Visitor(java.nio.file.Path relativeTo) {
        this.relativeTo = relativeTo;
      }

      @Override
      public FileVisitResult preVisitDirectory(java.nio.file.Path dir, BasicFileAttributes attrs) {
        checkLink(dir);
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
          throw new BadInputException("dataset directory " + dir + ": unreadable");
        }
        openDirectoryUris.push(dir.toUri().toString());
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(java.nio.file.Path dir, IOException e) throws IOException {
        openDirectoryUris.pop();
        return super.postVisitDirectory(dir, e);
      }

      /**
       * {@code file.toUri()}, which stats the file to decide whether to end in '/': a third system
       * call per file. A name of URI-unreserved ASCII is written as is after its directory's URI,
       * which is exactly what toUri writes; any other name goes through toUri.
       */
      private String uriOf(java.nio.file.Path file) {
        String dir = openDirectoryUris.peek();
        String name = file.getFileName().toString();
        if (dir != null && UNRESERVED_NAME.matcher(name).matches()) {
          return dir + name;
        }
        return file.toUri().toString();
      }

      @Override
      public FileVisitResult visitFile(java.nio.file.Path file, BasicFileAttributes attrs) {
        // Not following, the walk read attrs without following links, so they already say whether
        // this is one; a second lstat per file was a quarter of a 200,000-file listing's calls.
        if (follow) {
          checkLink(file);
        }
        if (attrs.isSymbolicLink()) {
          throw new BadInputException(
              "dataset file " + file + ": symbolic link (use --follow-symlinks to follow links inside the dataset)");
        }
        if (!attrs.isRegularFile()) {
          throw new BadInputException("dataset file " + file + ": not a regular file");
        }
        if (!Files.isReadable(file)) {
          throw new BadInputException("dataset file " + file + ": unreadable (permission denied)");
        }
        String rel = relativeTo.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        add(out, include, rel, uriOf(file), attrs.size(), attrs.lastModifiedTime().toMillis());
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(java.nio.file.Path file, IOException e) {
        if (e instanceof FileSystemLoopException) {
          throw new BadInputException("dataset " + file + ": symbolic links form a cycle");
        }
        if (e instanceof AccessDeniedException) {
          throw new BadInputException("dataset file " + file + ": unreadable (permission denied)");
        }
        throw new BadInputException("dataset file " + file + ": cannot be read: " + e);
      }

      private void checkLink(java.nio.file.Path p) {
        if (!Files.isSymbolicLink(p)) {
          return;
        }
        if (!follow) {
          throw new BadInputException(
              "dataset file " + p + ": symbolic link (use --follow-symlinks to follow links inside the dataset)");
        }
        try {
          java.nio.file.Path target = p.toRealPath();
          if (!target.startsWith(realRoot)) {
            throw new BadInputException(
                "dataset file " + p + ": symbolic link escapes the dataset root (points to " + target + ")");
          }
        } catch (IOException e) {
          throw new BadInputException("dataset file " + p + ": dangling symbolic link");
        }
      }
    }
  }
}
