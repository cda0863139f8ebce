package io.m31r.release.git;

import io.m31r.release.failure.GateFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The "no open to-do markers" release gate. It reads the files of the HEAD commit, not the work
 * tree: the release records that commit, so a marker removed only on disk still counts, and an
 * untracked scratch file does not. Binary blobs (a NUL byte in the first 8000 bytes, as git
 * decides) and blobs over 10 MiB are skipped; symbolic links and submodules have no text to scan.
 */
public final class TodoScan {
  static final int BINARY_PROBE_BYTES = 8000;
  static final long MAX_BLOB_BYTES = 10L * 1024 * 1024;
  static final int MAX_NAMED_HITS = 5;

  // Built from pieces so that this file does not itself carry the markers it looks for.
  static final String MARKER_A = "TO" + "DO";
  static final String MARKER_B = "FIX" + "ME";
  private static final Pattern MARKER = Pattern.compile("\\b(?:" + MARKER_A + "|" + MARKER_B + ")\\b");
  static final String PROMPT_FILE = "prompt.rs";

  private final String suiteFolder;

  public TodoScan() {
    this(null);
  }

  private TodoScan(String suiteFolder) {
    this.suiteFolder = suiteFolder;
  }

  /**
   * The same scan, skipping the {@value #PROMPT_FILE} files of the benchmark suite at {@code folder}
   * (a path inside the repository, '/'-separated): a prompt is text the model completes, and
   * upstream's prompts say "implement this" in exactly those words. Solutions and tests are still
   * scanned, and so is everything else.
   */
  public TodoScan exemptingSuitePrompts(String folder) {
    String f = folder == null ? "" : folder.replace('\\', '/').replaceAll("/+$", "");
    return new TodoScan(f.isEmpty() || f.equals(".") ? null : f + "/");
  }

  /** {@code path:line} of every line of the HEAD commit's text files holding a marker word, in tree order. */
  public List<String> scan(GitWorkspace workspace) {
    ObjectId head = workspace.requireHeadId();
    List<String> hits = new ArrayList<>();
    try (RevWalk walk = new RevWalk(workspace.repository());
        TreeWalk tree = new TreeWalk(workspace.repository())) {
      tree.addTree(walk.parseCommit(head).getTree());
      tree.setRecursive(true);
      ObjectReader reader = tree.getObjectReader();
      while (tree.next()) {
        if ((tree.getRawMode(0) & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
          continue;
        }
        ObjectId blob = tree.getObjectId(0);
        if (reader.getObjectSize(blob, Constants.OBJ_BLOB) > MAX_BLOB_BYTES) {
          continue;
        }
        byte[] bytes = reader.open(blob, Constants.OBJ_BLOB).getCachedBytes((int) MAX_BLOB_BYTES);
        String path = tree.getPathString();
        if (suiteFolder != null && path.startsWith(suiteFolder) && path.endsWith("/" + PROMPT_FILE)) {
          continue;
        }
        if (!isBinary(bytes)) {
          scanText(path, bytes, hits);
        }
      }
    } catch (IOException e) {
      throw workspace.unreadable(e);
    }
    return List.copyOf(hits);
  }

  /** Blocks the release when the HEAD commit holds any marker, naming the first few and the count. */
  public void requireNone(GitWorkspace workspace) {
    List<String> hits = scan(workspace);
    if (hits.isEmpty()) {
      return;
    }
    List<String> named = hits.subList(0, Math.min(MAX_NAMED_HITS, hits.size()));
    String more = hits.size() > named.size() ? ", and " + (hits.size() - named.size()) + " more" : "";
    throw new GateFailedException(
        hits.size() + " " + MARKER_A + "/" + MARKER_B + " line(s) in the files of commit "
            + workspace.head().commit().substring(0, 7) + ": " + String.join(", ", named) + more);
  }

  private static boolean isBinary(byte[] bytes) {
    int probe = Math.min(bytes.length, BINARY_PROBE_BYTES);
    for (int i = 0; i < probe; i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private static void scanText(String path, byte[] bytes, List<String> hits) {
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (MARKER.matcher(lines[i]).find()) {
        hits.add(path + ":" + (i + 1));
      }
    }
  }
}
