package io.m31r.release.model.bundle;

import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.hashing.ShardHasher;
import io.m31r.release.shards.ShardInspector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** SHA-256 of a local file, streamed with the project's hasher (64 KiB positioned reads). */
public final class FileDigests {
  private FileDigests() {}

  public static String sha256(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return new ShardHasher()
          .hash(
              String.valueOf(file.getFileName()),
              (position, buffer, offset, length) ->
                  channel.read(ByteBuffer.wrap(buffer, offset, length), position),
              channel.size(),
              ShardInspector.NONE,
              ShardHasher.ByteProgress.NONE)
          .sha256();
    } catch (IOException e) {
      throw new InfrastructureException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
