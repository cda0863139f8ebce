package io.m31r.release.bench;

import io.m31r.release.suite.AssembledProgram;
import io.m31r.release.suite.BenchTask;

/** One sample to judge: its task, its index, the completion text and the program it assembles to. */
record SampleSpec(BenchTask task, int index, String completion, AssembledProgram program) {}
