package io.m31r.release.pipeline;

import io.m31r.release.git.GitHead;
import io.m31r.release.packaging.ReleaseMetadata;
import java.util.Optional;

/**
 * What preflight established: the commit being released, the release it follows (the highest
 * published version below it, if any), and whether the tag already exists from an interrupted
 * export of this very release (same commit, same changelog), in which case it is not created again.
 */
public record PreflightResult(GitHead head, Optional<ReleaseMetadata> previous, boolean tagExistsFromInterruptedRun) {}
