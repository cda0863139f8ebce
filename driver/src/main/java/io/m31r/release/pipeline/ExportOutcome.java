package io.m31r.release.pipeline;

import io.m31r.release.packaging.ReleaseMetadata;
import io.m31r.release.registry.PublishedRelease;

/**
 * A published release, its metadata, where its HTML report is, and the validation completion
 * (empty for a rerun that found the release already published with identical inputs,
 * {@code alreadyReleased}).
 */
public record ExportOutcome(
    PublishedRelease release, ReleaseMetadata metadata, String report, String smokeCompletion, boolean alreadyReleased) {}
