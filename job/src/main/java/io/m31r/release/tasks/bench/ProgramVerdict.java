package io.m31r.release.tasks.bench;

import io.m31r.release.sandbox.Verdict;
import java.io.Serializable;

/** An executor's verdict on one distinct program, keyed by the program's SHA-256. */
public record ProgramVerdict(String programSha256, Verdict verdict) implements Serializable {}
