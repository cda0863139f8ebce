package io.m31r.release.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds small sharded datasets with seeded content and sizes around interesting boundaries. */
public final class Datasets {
  private Datasets() {}

  /** Writes {@code sizes.length} shards under {@code dir} (some in subdirectories); returns their paths. */
  public static List<Path> write(Path dir, long seed, int... sizes) throws IOException {
    Random rnd = new Random(seed);
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      Path p = dir.resolve(i % 3 == 0 ? "part-" + i + ".bin" : "sub" + (i % 3) + "/part-" + i + ".bin");
      Files.createDirectories(p.getParent());
      byte[] b = new byte[sizes[i]];
      rnd.nextBytes(b);
      Files.write(p, b);
      out.add(p);
    }
    return out;
  }

  /** Output of GNU sha256sum for a file, the reference every digest is compared with. */
  public static String sha256sum(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (p.waitFor() != 0) {
      throw new IOException("sha256sum failed: " + out);
    }
    return out.substring(0, 64);
  }
}
