package io.m31r.release.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.m31r.release.tasks.freeze.PlannedShard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local walk's file locations: what tasks open, so exactly the JDK's own file URIs. */
class ShardPlannerTest {
  private static final List<String> NAMES = List.of(
      "plain-1.bin", "A_b.c-d", "with space.bin", "pct%41.bin", "hash#x", "q?x", "colon:a", "at@b", "tilde~x",
      "semi;x", "plus+x", "caf\u00e9.txt", "emoji\ud83d\ude00", "quote'x", "brace{x}",
      "sub/inner-1.bin", "sub/deeper/x y.bin", "sub/deeper/z.bin", "zz/after-sub.bin");

  @TempDir Path tmp;

  @Test
  void locationsAreTheJdksFileUrisWhateverTheName() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("data set"));
    for (String name : NAMES) {
      Path f = root.resolve(name);
      Files.createDirectories(f.getParent());
      Files.writeString(f, name, StandardCharsets.UTF_8);
    }
    assertLocationsAreFileUris(root, plan(root, false), NAMES.size());
  }

  @Test
  void locationsBelowAFollowedDirectoryLinkNameTheLinkAsTheJdkDoes() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(root.resolve("real"));
    Files.writeString(root.resolve("real/a.bin"), "a");
    Files.writeString(root.resolve("real/b c.bin"), "b");
    Files.createSymbolicLink(root.resolve("linked"), root.resolve("real"));
    List<PlannedShard> shards = plan(root, true);
    assertLocationsAreFileUris(root, shards, 4);
    assertEquals(List.of("linked/a.bin", "linked/b c.bin", "real/a.bin", "real/b c.bin"),
        shards.stream().map(PlannedShard::path).toList());
  }

  private static List<PlannedShard> plan(Path root, boolean follow) {
    Configuration conf = new Configuration();
    DatasetSelection selection = new DatasetSelection(root.toUri().toString(), null, follow);
    return new ShardPlanner(conf).plan(ResolvedSelection.resolve(selection, conf), false).shards();
  }

  private static void assertLocationsAreFileUris(Path root, List<PlannedShard> shards, int expected) throws Exception {
    assertEquals(expected, shards.size());
    Path real = root.toRealPath();
    for (PlannedShard s : shards) {
      assertEquals(real.resolve(s.path()).toUri().toString(), s.location(), s.path());
    }
  }
}
