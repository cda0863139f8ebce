package io.m31r.release.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.m31r.release.hashing.ShardHasher;

/**
 * How the freeze stage runs.
 *
 * @param bufferBytes read size per positioned read; at most 64 KiB (larger was slower here)
 * @param tasksPerCore Spark tasks per core of default parallelism: more gives finer progress and
 *     better balance, fewer gives less scheduling overhead
 * @param progressIntervalSeconds how often the driver prints progress while hashing
 * @param minTaskBytes work below which another task costs more than it saves (a file open counts
 *     as 64 KiB of work): a tiny dataset is one task, a large one gets every core
 */
public record FreezeSettings(
    @JsonProperty(value = "buffer_bytes", required = true) int bufferBytes,
    @JsonProperty(value = "tasks_per_core", required = true) int tasksPerCore,
    @JsonProperty(value = "progress_interval_seconds", required = true)
        int progressIntervalSeconds,
    @JsonProperty(value = "min_task_bytes", required = true) long minTaskBytes) {

  public static final FreezeSettings DEFAULTS = new FreezeSettings(ShardHasher.MAX_BUFFER_BYTES, 4, 2, 128L << 20);

  @JsonCreator
  public FreezeSettings {
    ConfigChecks.inRange("freeze.buffer_bytes", bufferBytes, 4096, ShardHasher.MAX_BUFFER_BYTES);
    ConfigChecks.inRange("freeze.tasks_per_core", tasksPerCore, 1, 64);
    ConfigChecks.inRange("freeze.progress_interval_seconds", progressIntervalSeconds, 1, 60);
    ConfigChecks.inRange("freeze.min_task_bytes", minTaskBytes, 1, 1L << 40);
  }
}
