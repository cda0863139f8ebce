package io.m31r.release.freeze;

import io.m31r.release.hadoop.StorageUris;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A dataset selection parsed once at the edge: the location resolved to a Hadoop path and the
 * include glob compiled, so that the freeze job's checks and the planner work on the same values.
 *
 * @param selection the selection as given (its text goes into messages and, qualified, the manifest)
 * @param dataset the resolved location: a directory, a file or a glob of shards
 * @param include the compiled include glob, or null for every file
 */
public record ResolvedSelection(DatasetSelection selection, Path dataset, IncludeGlob include) {
  /** Resolves the URI ({@code file:}, {@code hdfs:}, {@code s3a:} or a local path) and compiles the glob; bad input fails here. */
  public static ResolvedSelection resolve(DatasetSelection selection, Configuration conf) {
    Path dataset = StorageUris.resolve("dataset", selection.datasetUri(), conf);
    IncludeGlob include = selection.include() == null ? null : IncludeGlob.compile(selection.include());
    return new ResolvedSelection(selection, dataset, include);
  }

  /** The folder the dataset's relative names start from: the dataset itself, or a glob's parent. */
  public Path root() {
    return ShardPlanner.isGlob(dataset) ? dataset.getParent() : dataset;
  }
}
