package io.m31r.release.bench;

import io.m31r.release.sandbox.Verdict;
import java.io.Serializable;

/** A generated sample with the verdict on the program it assembled to. */
record JudgedSample(GeneratedSample sample, String programSha256, Verdict verdict) implements Serializable {}
