package io.m31r.release.tasks.freeze;

import io.m31r.release.hashing.ShardDigest;
import java.io.Serializable;

/**
 * What an executor found for one shard. Failures that a retry cannot cure come back as values,
 * not exceptions: Spark would retry a throwing task and then hand the driver only a message,
 * losing the exit code. Transient I/O errors still throw, so that Spark retries them.
 */
public record HashOutcome(String path, ShardDigest digest, Failure failure, String message)
    implements Serializable {

  public enum Failure {
    /** The shard changed size or modification time, or vanished, since it was listed. */
    CHANGED,
    /** The shard exists but cannot be read with our permissions. */
    UNREADABLE
  }

  public static HashOutcome ok(String path, ShardDigest digest) {
    return new HashOutcome(path, digest, null, null);
  }

  public static HashOutcome failed(String path, Failure failure, String message) {
    return new HashOutcome(path, null, failure, message);
  }

  public boolean succeeded() {
    return failure == null;
  }
}
