package io.m31r.release.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** local-cluster starts with "local" yet has executor JVMs of its own, as a cluster does. */
class SandboxJobTest {
  @Test
  void onlyLocalAndLocalBracketMastersAreOneExecutor() {
    assertTrue(SandboxJob.isLocalMode("local"));
    assertTrue(SandboxJob.isLocalMode("local[*]"));
    assertTrue(SandboxJob.isLocalMode("local[4, 2]"));
    assertFalse(SandboxJob.isLocalMode("local-cluster[2,1,1024]"));
    assertFalse(SandboxJob.isLocalMode("spark://127.0.0.1:7077"));
    assertFalse(SandboxJob.isLocalMode("yarn"));
  }
}
