package io.m31r.release.tasks.bench;

import io.m31r.release.sandbox.Verdict;
import java.io.Serializable;

/** A generated sample with the verdict on the program it assembled to. */
public record JudgedSample(GeneratedSample sample, String programSha256, Verdict verdict) implements Serializable {}
